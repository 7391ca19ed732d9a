#!/usr/bin/env bash
# install.sh — install the Debian 12 packages durand needs, only those that
# are missing. Runs apt-get (through sudo when not root). Nothing else is
# downloaded, at build or run time.
set -euo pipefail

packages=(
  # build
  gcc libc6-dev make cmake pkg-config git
  # libraries
  libgsl-dev libconfig-dev libhdf5-dev libcunit1-dev librandom123-dev
  # tools the tests use: h5diff, ncdump, valgrind (scripts/valgrind.sh)
  hdf5-tools netcdf-bin valgrind
  # sweeps: MPI (build option DR_MPI) and a single-node Slurm for tests/e2e_slurm.sh
  mpich libmpich-dev slurmctld slurmd slurm-client munge
  # analysis (run with /usr/bin/python3)
  python3 python3-numpy python3-h5py python3-xarray python3-h5netcdf python3-matplotlib
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install.sh: all ${#packages[@]} packages present"
  exit 0
fi

echo "install.sh: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install.sh: need root or sudo to install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
