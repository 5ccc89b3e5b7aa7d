"""ReviewDay: an offline app for Care (Education) and Treatment Review days."""

__version__ = "0.1.0"
