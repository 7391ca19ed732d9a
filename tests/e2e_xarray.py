"""Open a durand result with xarray (h5netcdf engine) and check that it is
self-describing: named dimensions, coordinates, units and long names on every
data variable, CF time, and the provenance attributes; and that the civilian
series decode with their dimensions and add up (conservation, cumulative
sums, closed crossings carry nobody). Usage:
    /usr/bin/python3 e2e_xarray.py RESULT.h5
"""
import sys

import numpy as np
import xarray as xr

path = sys.argv[1]
ds = xr.open_dataset(path, engine="h5netcdf")
print(ds)
for dim in ("time", "actor", "dyad", "location", "crossing", "event", "route",
            "status", "direction", "intervention"):
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

# Civilian series (output/SCHEMA.md): persons = agents * agent_scale, int64,
# along the route, status and direction dimensions.
dims = {
    "civilians": ("time", "location", "status"),
    "civilians_on_route": ("time", "route"),
    "route_flow": ("time", "route", "direction"),
    "crossing_flow": ("time", "crossing", "direction"),
    "returns": ("time", "location"),
    "deportations": ("time", "location"),
    "civilian_agent_deaths": ("time", "location"),
    "civilian_agent_deaths_on_route": ("time", "route"),
    "mobilised": ("time", "location"),
    "displaced": ("time",),
    "returns_cumulative": ("time",),
    "deportations_cumulative": ("time",),
}
for name, want in dims.items():
    assert name in ds, f"{name} missing"
    assert ds[name].dims == want, (name, ds[name].dims)
    assert ds[name].dtype == np.int64, (name, ds[name].dtype)
    assert int(ds[name].min()) >= 0, f"{name} has negative counts"
assert list(ds["status"].values) == ["resident", "idp", "refugee", "returnee",
                                     "in_transit", "dead"], ds["status"].values
assert list(ds["direction"].values) == ["from_to", "to_from"]
assert "route_kind" in ds and "route_from" in ds and "route_distance" in ds
scale = int(ds.attrs["agent_scale"])
assert int((ds["civilians"] % scale).sum()) == 0, "civilians not a multiple of agent_scale"
# Everyone, dead or alive, at a location or on a route, every day: the
# total never changes in a run without spawning.
everyone = ds["civilians"].sum(("location", "status")) + ds["civilians_on_route"].sum("route")
assert (everyone == everyone.isel(time=0)).all(), "civilians not conserved"
assert int(everyone.isel(time=0)) > 0, "no civilians"
alive = everyone - ds["civilians"].sel(status="dead").sum("location")
assert (ds["displaced"] <= alive).all()
assert (ds["returns_cumulative"] ==
        ds["returns"].sum("location").cumsum("time")).all()
assert (ds["deportations_cumulative"] ==
        ds["deportations"].sum("location").cumsum("time")).all()
# A closed crossing carries nobody.
closed = ds["crossing_status"].attrs["flag_meanings"].split().index("closed")
flow = ds["crossing_flow"].sum("direction")
assert int(flow.where(ds["crossing_status"] == closed, 0).sum()) == 0
# The crossing flows are the route flows of the crossings' routes.
assert (ds["crossing_flow"].values ==
        ds["route_flow"].sel(route=ds["crossing"].values).values).all()
print("xarray civilians: ok, %d persons (agent_scale %d), %d returns"
      % (int(everyone.isel(time=0)), scale, int(ds["returns_cumulative"][-1])))

# External powers and interventions (output/SCHEMA.md): their dimensions,
# NaN involvement and threat exactly for the actors that are not powers,
# window days decoded as dates, cumulative cost never decreasing.
dims = {
    "involvement": ("time", "actor"), "threat": ("time", "actor"),
    "alignment": ("time", "dyad"), "ceasefire": ("time", "dyad"),
    "intervention_active": ("time", "intervention"),
    "intervention_progress": ("time", "intervention"),
    "intervention_cost": ("time", "intervention"),
    "intervention_rounds": ("time", "intervention"),
    "intervention_agreements": ("time", "intervention"),
    "recruited": ("time",),
}
for name, want in dims.items():
    assert name in ds, f"{name} missing"
    assert ds[name].dims == want, (name, ds[name].dims)
power = ds["actor_kind"].attrs["flag_meanings"].split().index("power")
is_power = (ds["actor_kind"] == power).values
for name in ("involvement", "threat"):
    assert ds[name].isnull().all("time").values.tolist() == (~is_power).tolist(), name
    assert bool((ds[name].where(is_power, 0) >= 0).all()), name
assert str(ds["intervention_start"].dtype).startswith("datetime64")
assert (ds["intervention_cost"].diff("time") >= 0).all()
assert int(ds["ceasefire"].min()) >= 0
print("xarray interventions: ok, %d interventions, %d powers"
      % (ds.sizes["intervention"], int(is_power.sum())))
print("xarray: ok,", len(ds.data_vars), "variables")
