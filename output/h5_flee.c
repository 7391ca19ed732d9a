/*
 * h5_flee.c — the validation extension of a result file (h5_flee.h,
 * output/SCHEMA.md). Follows the file's conventions: every variable has
 * units and long_name, float variables carry _FillValue = NaN, the new
 * `camp` dimension has a string coordinate variable that is a dimension
 * scale, and (time, camp) variables are attached to the existing `time`
 * scale, so xarray reads the extension with no custom code.
 */
#include "h5_flee.h"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "h5_util.h"

static int flee_attr_double(hid_t loc, const char *name, double v)
{
    int rc = -1;
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a =
        s >= 0 ? H5Acreate2(loc, name, H5T_IEEE_F64LE, s, H5P_DEFAULT, H5P_DEFAULT) : -1;
    if (a >= 0) rc = H5Awrite(a, H5T_NATIVE_DOUBLE, &v) < 0 ? -1 : 0;
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    return rc;
}

/* Create a dataset of `rank` dims (0: scalar) and write `data` (mem_type;
 * string arrays when file_type is 0), with units, long_name and, for
 * floats, _FillValue; attach scales[i] to dimension i. Returns 0 or -1. */
static int flee_var(hid_t file, const char *name, int rank, const hsize_t *size,
                    hid_t file_type, hid_t mem_type, const void *data, const char *units,
                    const char *long_name, const hid_t *scales, hid_t *keep)
{
    int is_float = file_type == H5T_IEEE_F64LE;
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t space = rank ? H5Screate_simple(rank, size, NULL) : H5Screate(H5S_SCALAR);
    hid_t ftype = file_type ? H5Tcopy(file_type) : dr_h5_vlen_string_type();
    hid_t mtype = mem_type ? H5Tcopy(mem_type) : dr_h5_vlen_string_type();
    hid_t d = -1;
    int ok = dcpl >= 0 && space >= 0 && ftype >= 0 && mtype >= 0 &&
             H5Pset_attr_creation_order(dcpl, H5P_CRT_ORDER_TRACKED |
                                                  H5P_CRT_ORDER_INDEXED) >= 0 &&
             H5Pset_obj_track_times(dcpl, 0) >= 0;
    if (ok && is_float) {
        double fill = NAN;
        ok = H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &fill) >= 0;
    }
    if (ok && rank == 2 && size[0] > 0 && size[1] > 0) {
        hsize_t chunk[2] = {size[0], size[1]};
        ok = H5Pset_chunk(dcpl, 2, chunk) >= 0 && H5Pset_shuffle(dcpl) >= 0 &&
             H5Pset_deflate(dcpl, 4) >= 0;
    }
    if (ok)
        ok = (d = H5Dcreate2(file, name, ftype, space, H5P_DEFAULT, dcpl, H5P_DEFAULT)) >=
             0;
    int empty = 0;
    for (int i = 0; i < rank; i++) empty |= size[i] == 0;
    if (ok && !empty) ok = H5Dwrite(d, mtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
    if (ok)
        ok = dr_h5_attr_string(d, "units", units) >= 0 &&
             dr_h5_attr_string(d, "long_name", long_name) >= 0;
    if (ok && is_float) ok = flee_attr_double(d, "_FillValue", NAN) >= 0;
    for (int i = 0; ok && scales && i < rank; i++)
        if (scales[i] >= 0) ok = H5DSattach_scale(d, scales[i], (unsigned)i) >= 0;
    if (dcpl >= 0) H5Pclose(dcpl);
    if (space >= 0) H5Sclose(space);
    if (ftype >= 0) H5Tclose(ftype);
    if (mtype >= 0) H5Tclose(mtype);
    if (ok && keep) {
        *keep = d;
        return 0;
    }
    if (d >= 0) H5Dclose(d);
    return ok ? 0 : -1;
}

int dr_h5_flee_append(const char *path, const dr_flee_case *fc, const double *camp_sim,
                      FILE *err)
{
    const size_t nc = fc->n_camps;
    const hsize_t days = (hsize_t)fc->days;
    H5E_auto2_t func;
    void *fdata;
    H5Eget_auto2(H5E_DEFAULT, &func, &fdata);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    const char **names = calloc(nc ? nc : 1, sizeof *names);
    int32_t *loc = calloc(nc ? nc : 1, sizeof *loc);
    double *e0 = calloc(days ? days : 1, sizeof *e0);
    double *e1 = calloc(days ? days : 1, sizeof *e1);
    hid_t file = -1, time = -1, camp = -1;
    const char *what = "out of memory";
    int ok = names && loc && e0 && e1;
    if (ok) {
        for (size_t c = 0; c < nc; c++) {
            names[c] = fc->scenario->locations[fc->camp_location[c]].id;
            loc[c] = (int32_t)fc->camp_location[c];
        }
        for (hsize_t t = 0; t < days; t++) {
            e0[t] = dr_flee_day_error(camp_sim + t * nc, fc->camp_data + t * nc, nc, 0);
            e1[t] = dr_flee_day_error(camp_sim + t * nc, fc->camp_data + t * nc, nc, 1);
        }
        what = "cannot open the result file for writing";
        ok = (file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT)) >= 0;
    }
    if (ok) {
        what = "cannot open its time coordinate";
        ok = (time = H5Dopen2(file, "time", H5P_DEFAULT)) >= 0;
    }
    hsize_t n1[1] = {nc}, n2[2] = {days, nc}, nt[1] = {days};
    if (ok) {
        what = "cannot write the camp coordinate";
        ok = flee_var(file, "camp", 1, n1, 0, 0, names, "1",
                      "validation camp (location id), FLEE's camp order", NULL,
                      &camp) == 0 &&
             H5DSset_scale(camp, "camp") >= 0;
    }
    hid_t s_c[1] = {camp}, s_tc[2] = {time, camp}, s_t[1] = {time};
    double ard0 = dr_flee_ard(camp_sim, fc->camp_data, (size_t)days, nc, 0);
    double ard1 = dr_flee_ard(camp_sim, fc->camp_data, (size_t)days, nc, 1);
    if (ok) {
        what = "cannot write the validation variables";
        ok = flee_var(file, "camp_location", 1, n1, H5T_STD_I32LE, H5T_NATIVE_INT32, loc,
                      "1", "index of the camp along the location dimension", s_c,
                      NULL) == 0 &&
             flee_var(
                 file, "camp_simulated", 2, n2, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                 camp_sim, "1",
                 "agents at the camp at the end of the day (simulated; persons / hasten)",
                 s_tc, NULL) == 0 &&
             flee_var(file, "camp_observed", 2, n2, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                      fc->camp_data, "1",
                      "observed camp population (validation data, persons / hasten, "
                      "interpolated and truncated as FLEE does)",
                      s_tc, NULL) == 0 &&
             flee_var(file, "error_daily", 1, nt, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, e0,
                      "1",
                      "FLEE's relative difference of the day, sum |sim - data| / max(1, "
                      "sum data)",
                      s_t, NULL) == 0 &&
             flee_var(file, "error_daily_rescaled", 1, nt, H5T_IEEE_F64LE,
                      H5T_NATIVE_DOUBLE, e1, "1",
                      "the same with sim rescaled by sum data / sum sim", s_t,
                      NULL) == 0 &&
             flee_var(file, "ard", 0, NULL, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &ard0, "1",
                      "averaged relative difference (mean of error_daily)", NULL,
                      NULL) == 0 &&
             flee_var(
                 file, "ard_rescaled", 0, NULL, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &ard1,
                 "1",
                 "averaged relative difference, rescaled (mean of error_daily_rescaled)",
                 NULL, NULL) == 0;
    }
    if (camp >= 0 && H5Dclose(camp) < 0) ok = 0;
    if (time >= 0 && H5Dclose(time) < 0) ok = 0;
    if (file >= 0 && H5Fclose(file) < 0) ok = 0;
    H5Eclear2(H5E_DEFAULT);
    H5Eset_auto2(H5E_DEFAULT, func, fdata);
    free(names);
    free(loc);
    free(e0);
    free(e1);
    if (!ok) {
        if (err) fprintf(err, "durand: %s: %s\n", path, what);
        return 1;
    }
    return 0;
}
