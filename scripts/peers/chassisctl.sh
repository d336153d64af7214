#!/bin/sh
# ipmi_sim chassis_control hook: power/boot state kept in files under @DIR@/state/chassis-<dev>
D=@DIR@/state/chassis-$1; shift; op=$1; shift
mkdir -p $D; [ -f $D/power ] || echo 0 > $D/power; [ -f $D/boot ] || echo default > $D/boot
case $op in
 get) for p in "$@"; do case $p in power|boot) echo "$p:$(cat $D/$p)";; *) echo "Invalid parameter: $p"; exit 1;; esac; done ;;
 set) while [ $# -gt 0 ]; do p=$1; v=$2; shift 2; case $p in
        power|boot) echo "$v" > $D/$p;; identify) shift;; reset) ;; *) echo "Invalid parameter: $p"; exit 1;; esac
        echo "$(date +%s) $p $v" >> $D/log; done ;;
 *) exit 1 ;;
esac
