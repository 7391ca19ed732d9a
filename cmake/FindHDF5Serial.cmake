# FindHDF5Serial: the *serial* HDF5 C library and its high-level library.
#
# Debian installs serial and MPI builds side by side, and installing an MPI
# build switches plain `pkg-config hdf5` (and h5cc) to it. We therefore ask
# for `hdf5-serial` by name. Defines HDF5Serial_FOUND and the imported
# targets hdf5::hdf5 and hdf5::hdf5_hl.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PC_HDF5_SERIAL QUIET hdf5-serial)
find_path(HDF5Serial_INCLUDE_DIR NAMES hdf5.h
  HINTS ${PC_HDF5_SERIAL_INCLUDE_DIRS} PATH_SUFFIXES hdf5/serial NO_DEFAULT_PATH)
find_library(HDF5Serial_LIBRARY NAMES hdf5
  HINTS ${PC_HDF5_SERIAL_LIBRARY_DIRS} NO_DEFAULT_PATH)
find_library(HDF5Serial_HL_LIBRARY NAMES hdf5_hl
  HINTS ${PC_HDF5_SERIAL_LIBRARY_DIRS} NO_DEFAULT_PATH)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(HDF5Serial
  REQUIRED_VARS HDF5Serial_LIBRARY HDF5Serial_HL_LIBRARY HDF5Serial_INCLUDE_DIR
  VERSION_VAR PC_HDF5_SERIAL_VERSION)
if(HDF5Serial_FOUND AND NOT TARGET hdf5::hdf5)
  add_library(hdf5::hdf5 UNKNOWN IMPORTED)
  set_target_properties(hdf5::hdf5 PROPERTIES
    IMPORTED_LOCATION "${HDF5Serial_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${HDF5Serial_INCLUDE_DIR}")
  add_library(hdf5::hdf5_hl UNKNOWN IMPORTED)
  set_target_properties(hdf5::hdf5_hl PROPERTIES
    IMPORTED_LOCATION "${HDF5Serial_HL_LIBRARY}"
    INTERFACE_LINK_LIBRARIES hdf5::hdf5)
endif()
mark_as_advanced(HDF5Serial_INCLUDE_DIR HDF5Serial_LIBRARY HDF5Serial_HL_LIBRARY)
