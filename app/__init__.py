"""Sleutelmonitor: activity monitoring for Sleutelpersonen Gezondheid."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sleutelmonitor")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
