/*
 * h5_util.c — small HDF5 helpers shared by the writers of output/.
 */
#include "h5_util.h"

hid_t dr_h5_vlen_string_type(void)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (t < 0) return -1;
    if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5T_CSET_UTF8) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

int dr_h5_attr_string(hid_t loc, const char *name, const char *value)
{
    int rc = -1;
    hid_t t = dr_h5_vlen_string_type();
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = -1;
    if (t >= 0 && s >= 0) a = H5Acreate2(loc, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    if (a >= 0) {
        const char *v = value ? value : "";
        rc = H5Awrite(a, t, &v) < 0 ? -1 : 0;
    }
    if (a >= 0) H5Aclose(a);
    if (s >= 0) H5Sclose(s);
    if (t >= 0) H5Tclose(t);
    return rc;
}
