# The vcluster roll's identity, in the Rocks style. This file is the single
# source of truth: CMake, the RPM spec files and the roll ISO all read it.
NAME		= vcluster
VERSION		= 1.0.0
RELEASE		= 1
COLOR		= steelblue
ROLLS_ARCH	= x86_64
