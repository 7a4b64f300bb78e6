"""Jobs released together behind a barrier, for the tests that race two requests or commands."""

import threading

from django.db import connection


def run_together(*jobs):
    """Run each job in its own thread, released at the same moment; return their results."""
    barrier = threading.Barrier(len(jobs), timeout=30)
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # reported by the test
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results
