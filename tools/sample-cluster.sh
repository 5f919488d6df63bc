#!/usr/bin/env bash
# Populates the database ($ROCKS_DB) with a sample physical cluster: the
# manager (frontend), 2 gateways, 8 vm-servers and 2 storage nodes, their
# interfaces on the private network and the gateways' public legs, the
# capacity attributes the reservation calendar reads, the rolls the
# manager's roll server offers (Rocks 7.0's and this roll) and the site's
# answers to a virtual frontend's install screens.
set -euo pipefail
rocks=${1:?usage: sample-cluster.sh /path/to/rocks}
r() { "$rocks" "$@"; }
version=$(sed -n 's/^VERSION[[:space:]]*=[[:space:]]*//p' "$(dirname "$0")/../version.mk")

# Commands other than this one never create a database.
r create vcluster database >/dev/null

# The rolls of a Rocks 7.0 frontend (what `rocks list roll` shows there).
for roll in base core kernel os hpc sge ganglia area51 kvm; do
    r add vcluster roll $roll version=7.0
done
r add vcluster roll vcluster version="$version"

# The site: the manager serves kickstarts and rolls; the public network's
# router; NTP; the certificate fields the frontends' screens ask for.
r set attr Kickstart_PublicHostname manager.example.org
r set attr Kickstart_PublicGateway 192.0.2.1
r set attr Kickstart_PublicNTPHost pool.ntp.org
r set attr Info_CertificateOrganization "Example University"
r set attr Info_CertificateLocality Amsterdam
r set attr Info_CertificateState Noord-Holland
r set attr Info_CertificateCountry NL

r add host manager-0-0 membership=Frontend cpus=8 rack=0 rank=0
r add host interface manager-0-0 eth0 subnet=private ip=10.1.1.1 mac=52:54:00:10:00:01
r add host interface manager-0-0 eth1 subnet=public ip=192.0.2.2 mac=52:54:00:10:00:02 name=manager

for i in 0 1; do
    h=gateway-0-$i
    r add host $h membership=Gateway cpus=16 rack=0 rank=$((i + 1))
    r add host interface $h eth0 subnet=private ip=10.1.255.$((250 - i)) mac=52:54:00:20:00:0$i
    r add host interface $h eth1 subnet=public ip=192.0.2.$((10 + i)) mac=52:54:00:21:00:0$i
    r set host attr $h vc_cpus 16
    r set host attr $h vc_memory 65536
    r set host attr $h vc_public_ips "192.0.2.$((100 + i * 50))-192.0.2.$((100 + i * 50 + 49))"
    r set host attr $h vc_trunk_interface eth0
    r set host attr $h vc_public_interface eth1
done

for i in $(seq 0 7); do
    h=vm-server-1-$i
    r add host $h membership="VM Server" cpus=32 rack=1 rank=$i
    r add host interface $h eth0 subnet=private ip=10.1.254.$((i + 1)) mac=52:54:00:30:00:0$i
    r set host attr $h vc_cpus 32
    r set host attr $h vc_memory 131072
    r set host attr $h vc_trunk_interface eth0
done

for i in 0 1; do
    h=storage-2-$i
    r add host $h membership=Storage cpus=8 rack=2 rank=$i
    r add host interface $h eth0 subnet=private ip=10.1.253.$((i + 1)) mac=52:54:00:40:00:0$i
    r set host attr $h vc_volume_group vg_vcluster
    r set host attr $h vc_pool_size 8TiB
done
