"""Vendors, sourcing events and proposals."""

from django.db import models


class Vendor(models.Model):
    """A BPO company that bids for and delivers outsourced support."""

    name = models.CharField(max_length=200, unique=True)
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
