#!/bin/sh
# ipmi_sim lan_config_program hook: fake LAN parameters in a file (touches no real NIC)
F=@DIR@/state/lan.$1; shift; op=$1; shift
[ -f $F ] || printf 'ip_addr:127.0.0.1\nip_addr_src:static\nmac_addr:52:54:00:12:34:56\nsubnet_mask:255.0.0.0\ndefault_gw_ip_addr:0.0.0.0\ndefault_gw_mac_addr:00:00:00:00:00:00\nbackup_gw_ip_addr:0.0.0.0\nbackup_gw_mac_addr:00:00:00:00:00:00\n' > $F
case $op in
 get) for p in "$@"; do grep "^$p:" $F || echo "$p:0.0.0.0"; done ;;
 set) while [ $# -gt 0 ]; do sed -i "/^$1:/d" $F; echo "$1:$2" >> $F; shift 2; done ;;
 check) exit 0 ;; *) exit 1 ;;
esac
