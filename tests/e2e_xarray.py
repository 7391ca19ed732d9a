"""Open a durand result with xarray (h5netcdf engine) and check that it is
self-describing: named dimensions, coordinates, units and long names on every
data variable, CF time, and the provenance attributes. Usage:
    /usr/bin/python3 e2e_xarray.py RESULT.h5
"""
import sys

import xarray as xr

path = sys.argv[1]
ds = xr.open_dataset(path, engine="h5netcdf")
print(ds)
for dim in ("time", "actor", "dyad", "location", "crossing", "event"):
    assert dim in ds.dims, f"dimension {dim} missing"
assert str(ds["time"].dtype).startswith("datetime64"), "time is not decoded as dates"
for name, var in ds.data_vars.items():
    assert "long_name" in var.attrs, f"{name} has no long_name"
    # Decoded time-like variables carry their units in encoding.
    assert "units" in var.attrs or "units" in var.encoding, f"{name} has no units"
for attr in ("Conventions", "history", "source", "seed", "replication",
             "omp_threads", "git_revision", "scenario_text", "overrides"):
    assert attr in ds.attrs, f"attribute {attr} missing"
assert ds["tension"].dims == ("time", "dyad"), ds["tension"].dims
assert ds.sizes["time"] == int(ds.attrs["days"])
print("xarray: ok,", len(ds.data_vars), "variables")
