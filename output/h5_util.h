/*
 * h5_util.h — small HDF5 helpers shared by the writers of output/ (result
 * files, sweep files, FLEE validation data, checkpoints).
 */
#ifndef DR_H5_UTIL_H
#define DR_H5_UTIL_H

#include <hdf5.h>

/* A variable-length UTF-8 string type (caller closes), or -1. */
hid_t dr_h5_vlen_string_type(void);

/* Write a scalar variable-length UTF-8 string attribute `name` = value
 * (NULL writes "") on loc. h5py and h5netcdf read these as Python str,
 * ncdump as `string`; unlike fixed-length strings they have no length-1
 * or empty-string quirks and any length fits (the text lives in the
 * global heap). Returns 0 or -1. */
int dr_h5_attr_string(hid_t loc, const char *name, const char *value);

#endif /* DR_H5_UTIL_H */
