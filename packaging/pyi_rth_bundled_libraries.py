"""PyInstaller runtime hook (Linux): ctypes.util.find_library finds the bundle's own libraries first.

The Linux bundle ships PostgreSQL's client library, libpq, for psycopg's pure-Python binding, which
looks it up with ``ctypes.util.find_library("pq")``. That asks the system (ldconfig), and a computer
without PostgreSQL's client installed has none. PyInstaller makes find_library look in the bundle
first on Windows only; this does the same here.
"""

import ctypes.util
import glob
import os
import sys

_find_on_the_system = ctypes.util.find_library


def _find_in_the_bundle_first(name):
    shipped = sorted(glob.glob(os.path.join(sys._MEIPASS, f"lib{glob.escape(name)}.so*")))
    return shipped[0] if shipped else _find_on_the_system(name)


ctypes.util.find_library = _find_in_the_bundle_first
