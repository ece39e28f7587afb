"""Signals the network app sends so that higher apps can react without being imported here.

``closure_added``: a closure (network-wide when ``branch`` is None) now covers
``starts_on``..``ends_on``; circulation moves loans due on those days to the next open day.
"""
from django.dispatch import Signal

closure_added = Signal()  # kwargs: closure, branch, starts_on, ends_on
