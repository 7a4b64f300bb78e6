from django.db import models


class Delegation(models.Model):
    name = models.CharField("name", max_length=100)

    class Meta:
        verbose_name = "delegation"
        verbose_name_plural = "delegations"
        ordering = ["name"]
        default_permissions = ("add", "change", "delete", "view", "import", "export")

    def __str__(self):
        return self.name
