"""Public page readers for the load test (run by loadtest/run.py, not on its own).

Each reader checks the 2022 statistics page: its total of researchers from abroad must be the
total before the import or the total after it, never anything in between, and once a reader
has seen the new total it must never see the old one again.
"""

import os

from locust import HttpUser, between, task

BEFORE = os.environ.get("LOADTEST_TOTAL_BEFORE", "")
AFTER = os.environ.get("LOADTEST_TOTAL_AFTER", "")


def _spellings(number):
    return {number, f"{int(number):,}"} if number else set()


class PublicReader(HttpUser):
    wait_time = between(0, 0.2)

    def on_start(self):
        self.seen_after = False

    @task(3)
    def home(self):
        self.client.get("/")

    @task(3)
    def agreements(self):
        self.client.get("/agreements/")

    @task(2)
    def fact_sheet(self):
        self.client.get("/fact-sheet/")

    @task(4)
    def statistics(self):
        with self.client.get("/statistics/2022/", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
                return
            page = response.text
            before = any(spelling in page for spelling in _spellings(BEFORE))
            after = any(spelling in page for spelling in _spellings(AFTER))
            if after:
                self.seen_after = True
                response.request_meta["name"] = "/statistics/2022/ new total"
            elif before and self.seen_after:
                response.failure("the old total came back after the new one was seen")
            elif before:
                response.request_meta["name"] = "/statistics/2022/ old total"
            else:
                response.failure("half-applied import: neither the old nor the new total")
