#!/usr/bin/env bash
# Real third-party peers for HWAutomation's tests, all on loopback:
#   Redfish: sushy-tools --fake                 http://127.0.0.1:$HWA_PEER_REDFISH_PORT   (no auth)
#            sushy-tools + libvirt test driver  https://127.0.0.1:$HWA_PEER_REDFISH_TLS_PORT (Basic admin, self-signed)
#   IPMI:    OpenIPMI ipmi_sim                  udp 127.0.0.1:$HWA_PEER_IPMI_PORT (admin; cipher suite 3)
#   SSH:     OpenSSH sshd                       tcp 127.0.0.1:$HWA_PEER_SSH_PORT (root, key), real dmidecode on a synthetic SMBIOS
#   SQL:     PostgreSQL (Debian's)              tcp 127.0.0.1:$HWA_PEER_POSTGRES_PORT (user hwa, password, scram)
#   Mockup:  sushy-tools' sushy-static           http://127.0.0.1:$HWA_PEER_MOCKUP_PORT   (DMTF's public-rackmount1
#            mockup from ../shared/redfish-mockups, replayed read-only: our discovery and BIOS plan against a real tree)
#   Tools:   Debian's chromium (headless; the dashboard's browser tests, driven by Playwright from PyPI in the venv)
#            and, from PyPI in the venv: schemathesis (the
#            API's property-based test against its OpenAPI document), DMTF's redfish-service-validator and
#            redfish-protocol-validator (the lab's simulated BMCs judged offline against ../shared/redfish-csdl) and
#            Canonical's python-libmaas (the official MAAS client, run against the lab's simulated region)
#
#   scripts/test-peers.sh up     install what is missing, start every peer, wait until each answers,
#                                write $PEERS/env (the HWA_TEST_* variables the tests read)
#   scripts/test-peers.sh down   stop exactly the processes `up` started, by their recorded PIDs
#
# Passwords are written to 0600 files and never put on a command line.
set -euo pipefail
PEERS=${PEERS:-/tmp/hwa-peers}
REDFISH_PORT=${HWA_PEER_REDFISH_PORT:-8000}
REDFISH_TLS_PORT=${HWA_PEER_REDFISH_TLS_PORT:-8443}
IPMI_PORT=${HWA_PEER_IPMI_PORT:-6230}
SSH_PORT=${HWA_PEER_SSH_PORT:-2222}
POSTGRES_PORT=${HWA_PEER_POSTGRES_PORT:-5499}
MOCKUP_PORT=${HWA_PEER_MOCKUP_PORT:-8010}
HERE=$(cd "$(dirname "$0")" && pwd)
MOCKUP_DIR=${HWA_PEER_MOCKUP_DIR:-$(cd "$HERE/../.." && pwd)/shared/redfish-mockups/public-rackmount1}
# The Python environment with sushy-tools is kept between runs (it takes a while to install).
VENV=${HWA_PEERS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/hwautomation/peers-venv}

down() {
    local pids=()
    for f in "$PEERS"/pids/*; do
        [ -f "$f" ] || continue
        pids+=("$(cat "$f")")
        kill "$(cat "$f")" 2>/dev/null || true
        rm -f "$f"
    done
    # Wait (5 s at most) until they are gone, so that their ports are free for the next `up`.
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && return 0
        sleep 0.1
    done
}

install_packages() {
    local need=()
    for tool in ipmitool ipmi_sim sdrcomp /usr/sbin/sshd /usr/sbin/dmidecode lshw curl openssl pkg-config gcc chromium; do
        command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
    done
    dpkg -s libvirt-dev >/dev/null 2>&1 || need+=(libvirt-dev)
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
    if [ ${#need[@]} -gt 0 ]; then
        echo "test-peers: installing Debian packages (missing: ${need[*]})"
        local sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        export DEBIAN_FRONTEND=noninteractive
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq --no-install-recommends ipmitool openipmi openssh-server openssh-client \
            dmidecode lshw libvirt-dev pkg-config gcc openssl curl python3-venv postgresql chromium >/dev/null
    fi
    if [ ! -x "$VENV/bin/sushy-emulator" ] || ! "$VENV/bin/python" -c 'import libvirt, bcrypt' 2>/dev/null; then
        echo "test-peers: installing sushy-tools and libvirt-python from PyPI into $VENV"
        mkdir -p "$(dirname "$VENV")"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q sushy-tools libvirt-python bcrypt
    fi
    if ! "$VENV/bin/python" -c 'import playwright' 2>/dev/null; then
        # Only the Python package: it drives Debian's chromium (no browser download).
        echo "test-peers: installing playwright from PyPI into $VENV"
        "$VENV/bin/pip" install -q playwright
    fi
    if [ ! -x "$VENV/bin/schemathesis" ]; then
        echo "test-peers: installing schemathesis from PyPI into $VENV"
        "$VENV/bin/pip" install -q schemathesis
    fi
    if [ ! -x "$VENV/bin/rf_service_validator" ] || [ ! -x "$VENV/bin/rf_protocol_validator" ] ||
        ! "$VENV/bin/python" -c 'import maas.client' 2>/dev/null; then
        echo "test-peers: installing redfish-service-validator, redfish-protocol-validator and python-libmaas from PyPI"
        "$VENV/bin/pip" install -q redfish-service-validator redfish-protocol-validator python-libmaas
    fi
}

port_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start_redfish() {
    "$VENV/bin/python" - "$PEERS/secrets/redfish-password" "$PEERS/htpasswd" <<'EOF'
import bcrypt, sys
password = open(sys.argv[1], 'rb').read().strip()
open(sys.argv[2], 'w').write('admin:' + bcrypt.hashpw(password, bcrypt.gensalt()).decode() + '\n')
EOF
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
        -keyout "$PEERS/bmc.key" -out "$PEERS/bmc.crt" 2>/dev/null
    cat > "$PEERS/sushy-libvirt.conf" <<EOF
SUSHY_EMULATOR_LISTEN_IP = '127.0.0.1'
SUSHY_EMULATOR_LISTEN_PORT = $REDFISH_TLS_PORT
SUSHY_EMULATOR_LIBVIRT_URI = 'test:///default'
SUSHY_EMULATOR_SSL_CERT = '$PEERS/bmc.crt'
SUSHY_EMULATOR_SSL_KEY = '$PEERS/bmc.key'
SUSHY_EMULATOR_AUTH_FILE = '$PEERS/htpasswd'
EOF
    nohup "$VENV/bin/sushy-emulator" --fake -i 127.0.0.1 -p "$REDFISH_PORT" \
        >"$PEERS/logs/sushy-fake.log" 2>&1 &
    echo $! > "$PEERS/pids/sushy-fake"
    nohup "$VENV/bin/python" "$HERE/peers/sushy-libvirt.py" "$HERE/peers/nodes.xml" \
        --config "$PEERS/sushy-libvirt.conf" >"$PEERS/logs/sushy-libvirt.log" 2>&1 &
    echo $! > "$PEERS/pids/sushy-libvirt"
    nohup "$VENV/bin/sushy-static" -i 127.0.0.1 -p "$MOCKUP_PORT" -m "$MOCKUP_DIR" \
        >"$PEERS/logs/sushy-static.log" 2>&1 &
    echo $! > "$PEERS/pids/sushy-static"
}

start_ipmi() {
    local dir=$PEERS/ipmi
    mkdir -p "$dir/state/ipmi_sim/bmc1"
    sed "s|@DIR@|$dir|g" "$HERE/peers/chassisctl.sh" > "$dir/chassisctl.sh"
    sed "s|@DIR@|$dir|g" "$HERE/peers/lanctl.sh" > "$dir/lanctl.sh"
    chmod +x "$dir/chassisctl.sh" "$dir/lanctl.sh"
    local password
    password=$(cat "$PEERS/secrets/ipmi-password")
    sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$IPMI_PORT|g" -e "s|@CONSOLE@|$((IPMI_PORT + 1))|g" \
        -e "s|@PASSWORD@|$password|g" "$HERE/peers/ipmi-lan.conf" > "$dir/lan.conf"
    chmod 600 "$dir/lan.conf"
    sdrcomp -o "$dir/state/ipmi_sim/bmc1/sdr.20.main" "$HERE/peers/ipmi-bmc.sdrs"
    nohup ipmi_sim -c "$dir/lan.conf" -f "$HERE/peers/ipmi-bmc.emu" -s "$dir/state" -n \
        >"$PEERS/logs/ipmi_sim.log" 2>&1 &
    echo $! > "$PEERS/pids/ipmi_sim"
}

start_ssh() {
    local dir=$PEERS/ssh
    mkdir -p "$dir/bin"
    python3 "$HERE/peers/mkdmi.py" "$dir/dmi.bin"
    printf '#!/bin/sh\nexec /usr/sbin/dmidecode --from-dump "${DMI_DUMP:-%s}" "$@"\n' "$dir/dmi.bin" > "$dir/bin/dmidecode"
    chmod +x "$dir/bin/dmidecode"
    # In-band ipmitool on this host: its BMC is ipmi_sim, reached over lanplus (a loopback host has no
    # /dev/ipmi0). The password comes from the 0600 secrets file into the environment, never onto a command line.
    cat > "$dir/bin/ipmitool" <<EOF
#!/bin/sh
IPMI_PASSWORD=\$(cat "$PEERS/secrets/ipmi-password")
export IPMI_PASSWORD
exec /usr/bin/ipmitool -I lanplus -H 127.0.0.1 -p "$IPMI_PORT" -U admin -E -C 3 -N 1 -R 1 "\$@"
EOF
    chmod +x "$dir/bin/ipmitool"
    [ -f "$dir/host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_key"
    [ -f "$dir/client_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$dir/client_key"
    cp "$dir/client_key.pub" "$dir/authorized_keys"
    chmod 600 "$dir/authorized_keys" "$dir/client_key"
    cat > "$dir/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
SetEnv PATH=$dir/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
Subsystem sftp internal-sftp
EOF
    mkdir -p /run/sshd
    rm -f "$dir/sshd.pid"
    /usr/sbin/sshd -f "$dir/sshd_config" -E "$PEERS/logs/sshd.log"
    for _ in $(seq 1 50); do [ -s "$dir/sshd.pid" ] && break; sleep 0.1; done
    cp "$dir/sshd.pid" "$PEERS/pids/sshd"
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

start_postgres() {
    local dir=$PEERS/postgres bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/socket"
    # initdb reads the password from a file (never a command line); the copy it reads is removed at once.
    cp "$PEERS/secrets/postgres-password" "$dir/pwfile"
    chmod 600 "$dir/pwfile"
    chmod 700 "$dir/data"
    chown -R postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U hwa --pwfile="$dir/pwfile" --auth=scram-sha-256 -E UTF8 \
        >"$PEERS/logs/initdb.log" 2>&1
    rm -f "$dir/pwfile"
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $POSTGRES_PORT -h 127.0.0.1 -k $dir/socket -c fsync=off" start >/dev/null
    head -n 1 "$dir/data/postmaster.pid" > "$PEERS/pids/postgres"
}

wait_for_peers() {
    local redfish_password ipmi_password
    redfish_password=$(cat "$PEERS/secrets/redfish-password")
    ipmi_password=$(cat "$PEERS/secrets/ipmi-password")
    for _ in $(seq 1 120); do
        if curl -sf "http://127.0.0.1:$REDFISH_PORT/redfish/v1/" >/dev/null &&
            curl -sf "http://127.0.0.1:$MOCKUP_PORT/redfish/v1/" >/dev/null &&
            printf 'user = "admin:%s"\n' "$redfish_password" |
            curl -sf --cacert "$PEERS/bmc.crt" -K - "https://127.0.0.1:$REDFISH_TLS_PORT/redfish/v1/Systems" >/dev/null &&
            IPMI_PASSWORD=$ipmi_password ipmitool -I lanplus -H 127.0.0.1 -p "$IPMI_PORT" -U admin -E -C 3 -N 1 -R 1 \
                mc info >/dev/null 2>&1 &&
            ssh -q -i "$PEERS/ssh/client_key" -p "$SSH_PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
                -o UserKnownHostsFile=/dev/null root@127.0.0.1 true; then
            return 0
        fi
        sleep 0.5
    done
    echo "test-peers: the peers did not all answer within 60 s; logs are in $PEERS/logs:" >&2
    tail -n 5 "$PEERS"/logs/*.log >&2 || true
    return 1
}

up() {
    mkdir -p "$PEERS"/{pids,logs,secrets}
    chmod 700 "$PEERS/secrets"
    down
    [ -f "$MOCKUP_DIR/index.json" ] || {
        echo "test-peers: no Redfish mockup at $MOCKUP_DIR (expected ../shared beside the repository)" >&2
        exit 1
    }
    for port in "$REDFISH_PORT" "$REDFISH_TLS_PORT" "$MOCKUP_PORT" "$SSH_PORT" "$POSTGRES_PORT"; do
        port_free "$port" || {
            echo "test-peers: port $port on 127.0.0.1 is in use; stop what listens there or set HWA_PEER_*_PORT" >&2
            exit 1
        }
    done
    install_packages
    umask 077
    for name in redfish-password ipmi-password postgres-password; do
        [ -s "$PEERS/secrets/$name" ] || python3 -c 'import secrets; print(secrets.token_hex(8))' > "$PEERS/secrets/$name"
    done
    umask 022
    start_redfish
    start_ipmi
    start_ssh
    start_postgres || { echo "test-peers: PostgreSQL did not start:" >&2; cat "$PEERS/logs/initdb.log" \
        "$PEERS/postgres/postgres.log" >&2 2>/dev/null; down; exit 1; }
    wait_for_peers || { down; exit 1; }
    cat > "$PEERS/env" <<EOF
export HWA_TEST_PEERS_DIR='$PEERS'
export HWA_TEST_REDFISH_URL='http://127.0.0.1:$REDFISH_PORT'
export HWA_TEST_REDFISH_TLS_URL='https://127.0.0.1:$REDFISH_TLS_PORT'
export HWA_TEST_REDFISH_CA='$PEERS/bmc.crt'
export HWA_TEST_REDFISH_USER='admin'
export HWA_TEST_REDFISH_PASSWORD_FILE='$PEERS/secrets/redfish-password'
export HWA_TEST_IPMI_HOST='127.0.0.1'
export HWA_TEST_IPMI_PORT='$IPMI_PORT'
export HWA_TEST_IPMI_USER='admin'
export HWA_TEST_IPMI_PASSWORD_FILE='$PEERS/secrets/ipmi-password'
export HWA_TEST_SSH_HOST='127.0.0.1'
export HWA_TEST_SSH_PORT='$SSH_PORT'
export HWA_TEST_SSH_USER='root'
export HWA_TEST_SSH_KEY='$PEERS/ssh/client_key'
export HWA_TEST_POSTGRES_URL='postgres://hwa@127.0.0.1:$POSTGRES_PORT/postgres?sslmode=disable'
export HWA_TEST_POSTGRES_PASSWORD_FILE='$PEERS/secrets/postgres-password'
export HWA_TEST_CHROMIUM='$(command -v chromium)'
export HWA_TEST_PLAYWRIGHT='$VENV/bin/python'
export HWA_TEST_SCHEMATHESIS='$VENV/bin/schemathesis'
export HWA_TEST_MOCKUP_URL='http://127.0.0.1:$MOCKUP_PORT'
export HWA_TEST_RF_SERVICE_VALIDATOR='$VENV/bin/rf_service_validator'
export HWA_TEST_RF_PROTOCOL_VALIDATOR='$VENV/bin/rf_protocol_validator'
export HWA_TEST_PYTHON_LIBMAAS='$VENV/bin/python'
EOF
    echo "test-peers: up (redfish :$REDFISH_PORT and :$REDFISH_TLS_PORT, mockup :$MOCKUP_PORT, ipmi udp :$IPMI_PORT, ssh :$SSH_PORT, postgres :$POSTGRES_PORT); env in $PEERS/env"
}

case "${1:-}" in
    up) up ;;
    down) down; echo "test-peers: down" ;;
    *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
