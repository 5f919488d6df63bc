# Only used when Rocks' own roll build tree is present (ROLLSROOT set, e.g.
# on a Rocks development appliance): tools/build-roll.sh has already put the
# RPMs in RPMS/, and this fragment lets Rocks' Rolls.mk write
# roll-$(ROLLNAME).xml from version.mk; build-roll.sh then runs Rocks'
# `rocks create roll roll-vcluster.xml` to make the ISO.
# Run from a work directory holding version.mk and RPMS/:
#   make -f tools/rocks-roll.mk ROLLSROOT=... roll-vcluster.xml
include version.mk
ROLLNAME = $(NAME)
ARCH = $(ROLLS_ARCH)
include $(ROLLSROOT)/etc/Rolls.mk
