"""Drives the lab's simulated MAAS region with the official MAAS client, python-libmaas.

Run by Tests/LabTests/LibMAASScenarioTests.swift against `Lab` serving MAAS (what `hwautomation lab serve --maas`
serves). Everything comes from the environment, secrets from a file, never from argv:

  HWA_MAAS_URL          the region, e.g. http://127.0.0.1:PORT/MAAS/ (libmaas adds api/2.0/)
  HWA_LAB_URL           the lab's shared listener, e.g. http://127.0.0.1:PORT (BMC n at /bmc/n/redfish/v1)
  HWA_LAB_CREDENTIALS   the lab's credentials file (0600): user=, password=, maas_api_key=
  HWA_LAB_NODES         how many machines the lab has

Every call is checked against what MAAS's API documentation and sources say it returns (canonical/maas
src/maasserver/api/*.py, src/maasserver/api/examples/*.json). A failed check exits non-zero naming the check;
progress goes to stdout.
"""

import base64
import json
import os
import sys
import time
import urllib.request

from maas.client import connect
from maas.client.bones import CallError
from maas.client.enum import InterfaceType, LinkMode, NodeStatus, PowerState
from maas.client.viscera.machines import MachineNotFound

POLL_LIMIT = 120.0  # seconds: a generous bound; the lab's operations take a few seconds of lab time


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print("ok:", what, flush=True)


def credentials(path):
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            key, _, value = line.strip().partition("=")
            if key:
                values[key] = value
    return values


class Redfish:
    """The lab's BMCs over plain Redfish (urllib), with the lab's login."""

    def __init__(self, base, user, password):
        self.base = base.rstrip("/")
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}

    def system(self, index):
        request = urllib.request.Request(f"{self.base}/bmc/{index}/redfish/v1/Systems/1", headers=self.headers)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def power(self, index):
        return self.system(index)["PowerState"]

    def reset(self, index, reset_type):
        request = urllib.request.Request(
            f"{self.base}/bmc/{index}/redfish/v1/Systems/1/Actions/ComputerSystem.Reset",
            data=json.dumps({"ResetType": reset_type}).encode(),
            headers=self.headers,
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status

    def wait_power(self, index, state):
        deadline = time.monotonic() + POLL_LIMIT
        while True:
            now = self.power(index)
            if now == state:
                return now
            if time.monotonic() > deadline:
                raise AssertionError(f"BMC {index} PowerState still {now}, not {state}, after {POLL_LIMIT} s")
            time.sleep(0.2)


def wait_machine(client, system_id, until):
    deadline = time.monotonic() + POLL_LIMIT
    while True:
        machine = client.machines.get(system_id)
        if until(machine):
            return machine
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{machine.hostname} still {machine.status_name} (power {machine.power_state}) after {POLL_LIMIT} s"
            )
        time.sleep(0.2)


def expect_call_error(status, what, call):
    try:
        call()
    except CallError as error:
        check(error.status == status, f"{what}: HTTP {error.status} (want {status}): {error}")
        return error
    raise AssertionError(f"{what}: no error (want HTTP {status})")


def check_machine(machine, nodes_seen):
    """Every field HWAutomation and libmaas read, shaped as in MAAS's examples/machines.json."""
    sid = machine.system_id
    check(isinstance(sid, str) and sid, f"{sid}: system_id")
    check(machine.fqdn == machine.hostname + ".maas", f"{sid}: fqdn {machine.fqdn} is hostname.domain")
    check(machine.domain.name == "maas" and machine.domain.id == 0, f"{sid}: domain maas (id 0)")
    check(machine.zone.name == "default" and machine.zone.id == 1, f"{sid}: zone default (id 1)")
    check(machine.pool.name == "default" and machine.pool.id == 0, f"{sid}: pool default (id 0)")
    check(machine.architecture == "amd64/generic", f"{sid}: architecture {machine.architecture}")
    check(isinstance(machine.cpus, int) and machine.cpus > 0, f"{sid}: cpu_count {machine.cpus}")
    check(isinstance(machine.memory, int) and machine.memory >= 1024, f"{sid}: memory {machine.memory} MiB")
    check(machine._data["storage"] > 0, f"{sid}: storage {machine._data['storage']} MB")
    check(isinstance(machine.status, NodeStatus), f"{sid}: status {machine.status!r}")
    check(isinstance(machine.status_name, str) and machine.status_name, f"{sid}: status_name {machine.status_name}")
    check("status_message" in machine._data, f"{sid}: status_message present")
    check(machine.power_type == "redfish", f"{sid}: power_type redfish")
    check(isinstance(machine.power_state, PowerState), f"{sid}: power_state {machine.power_state}")
    check(isinstance(machine.tags, object) and all(isinstance(t.name, str) for t in machine.tags), f"{sid}: tag_names")
    interfaces = list(machine.interfaces)
    check(len(interfaces) >= 1, f"{sid}: interface_set has {len(interfaces)} interfaces")
    for interface in interfaces:
        check(isinstance(interface.id, int) and interface.id not in nodes_seen, f"{sid}: interface id {interface.id}")
        nodes_seen.add(interface.id)
        check(interface.type == InterfaceType.PHYSICAL, f"{sid}: {interface.name} is physical")
        check(len(interface.mac_address.split(":")) == 6, f"{sid}: {interface.name} MAC {interface.mac_address}")
        check(interface.enabled is True and interface.effective_mtu == 1500, f"{sid}: {interface.name} up, MTU")
        check(interface.vlan.name == "untagged", f"{sid}: {interface.name} on the untagged VLAN")
    first = interfaces[0]
    links = list(first.links)
    check(len(links) == 1 and links[0].mode == LinkMode.DHCP, f"{sid}: boot interface has a DHCP link")
    check(links[0].subnet.cidr.endswith("/24") or links[0].subnet.cidr.endswith("/64"), f"{sid}: link subnet")
    check(machine.boot_interface.id == first.id, f"{sid}: boot_interface is {first.name}")
    check(machine.boot_interface.mac_address == first.mac_address, f"{sid}: boot_interface MAC")


def main():
    url = os.environ["HWA_MAAS_URL"]
    lab = os.environ["HWA_LAB_URL"]
    nodes = int(os.environ["HWA_LAB_NODES"])
    secrets = credentials(os.environ["HWA_LAB_CREDENTIALS"])
    redfish = Redfish(lab, secrets["user"], secrets["password"])

    # connect(): GET describe/ (anonymous) builds the binding; every later call is OAuth-signed.
    client = connect(url, apikey=secrets["maas_api_key"])
    version = client.version.get()
    check(version.version.startswith("3."), f"version/: MAAS {version.version}")
    check("networks-management" in version.capabilities, "version/: capabilities")
    me = client.users.whoami()
    check(me.username == "admin" and me.is_admin, "users/?op=whoami: admin, superuser")
    check([user.username for user in client.users.list()] == ["admin"], "users/: admin")
    check([zone.name for zone in client.zones.list()] == ["default"], "zones/: default")
    check(client.zones.get("default").id == 1, "zones/default/")
    check([pool.name for pool in client.resource_pools.list()] == ["default"], "resourcepools/: default")
    check(client.resource_pools.get(0).description == "Default pool", "resourcepool/0/")
    check(client.domains.get(0).name == "maas", "domains/0/")

    machines = client.machines.list()
    check(len(machines) == nodes, f"machines/: {len(machines)} machines")
    seen = set()
    for machine in machines:
        check_machine(machine, seen)
        check(machine.status == NodeStatus.NEW and machine.status_name == "New", f"{machine.system_id}: New")
        check(machine.owner is None, f"{machine.system_id}: no owner")
    target = client.machines.get(machines[0].system_id)
    check(target.hostname == machines[0].hostname, "machines/{id}/ reads the listed machine")
    # The BMC MAAS drives is the one its power parameters name: http://HOST:PORT/bmc/N.
    address = target.get_power_parameters()["power_address"]
    check(address.startswith(lab.rstrip("/") + "/bmc/"), f"power_parameters: power_address {address}")
    index = int(address.rstrip("/").rsplit("/", 1)[1])
    only = client.machines.list(hostnames=[target.hostname])
    check([m.system_id for m in only] == [target.system_id], "machines/?hostname= filters")

    # Tags: create (multipart form, non-ASCII comment), read, list, tag a machine, read it back.
    comment = "set by libmaas: rack 1/row 2 \u2014 caf\u00e9"
    tag = client.tags.create("hwa-libmaas", comment=comment)
    check(tag.name == "hwa-libmaas" and tag.comment == comment, "tags/ create: the form arrived whole")
    check(client.tags.get("hwa-libmaas").comment == comment, "tags/hwa-libmaas/ read")
    check("hwa-libmaas" in [t.name for t in client.tags.list()], "tags/ list")
    expect_call_error(400, "tags/ create of an existing name", lambda: client.tags.create("hwa-libmaas"))
    target.tags.add(tag)
    target = client.machines.get(target.system_id)
    check([t.name for t in target.tags] == ["hwa-libmaas"], "update_nodes add: machine carries the tag")
    tagged = tag._handler.machines(name="hwa-libmaas")
    check([m["system_id"] for m in tagged] == [target.system_id], "tags/hwa-libmaas/?op=machines")

    # Commissioning: New -> Commissioning -> Ready; without enable_ssh MAAS powers the machine off at the end.
    target = target.commission(wait=True, wait_interval=0.2, testing_scripts=[])
    check(target.status == NodeStatus.READY and target.status_name == "Ready", "commission: Ready")
    check(target.owner is None, "commission: no owner when Ready")
    check(target.power_state == PowerState.OFF, "commission: powered off at the end")
    check(redfish.power(index) == "Off", "commission: the BMC says Off over Redfish")
    expect_call_error(409, "abort of a Ready machine", lambda: target.abort())
    expect_call_error(409, "power_on of an unallocated machine", lambda: target.power_on())

    # Allocate by tag; nothing else matches.
    allocated = client.machines.allocate(tags=["hwa-libmaas"])
    check(allocated.system_id == target.system_id, "allocate tags=hwa-libmaas: the tagged machine")
    check(allocated.status == NodeStatus.ALLOCATED and allocated.owner.username == "admin", "allocate: Allocated")
    try:
        client.machines.allocate(tags=["hwa-libmaas"])
        raise AssertionError("a second allocate found a machine")
    except MachineNotFound:
        check(True, "allocate with nothing left: 409 (MachineNotFound)")

    # Deploy: Allocated -> Deploying -> Deployed, powered on.
    deployed = allocated.deploy(distro_series="jammy", wait=True, wait_interval=0.2)
    check(deployed.status == NodeStatus.DEPLOYED, "deploy: Deployed")
    check(deployed.distro_series == "jammy" and deployed.osystem == "ubuntu", "deploy: jammy")
    redfish.wait_power(index, "On")
    deployed = wait_machine(client, deployed.system_id, lambda m: m.power_state == PowerState.ON)
    check(len(deployed.ip_addresses) >= 1, f"deploy: ip_addresses {deployed.ip_addresses}")

    # Power through MAAS, seen on the BMC; power through the BMC, seen by MAAS.
    deployed.power_off(wait=True, wait_interval=0.2)
    check(redfish.power(index) == "Off", "power_off: the BMC says Off")
    check(deployed.query_power_state() == PowerState.OFF, "query_power_state: off")
    deployed.power_on()
    redfish.wait_power(index, "On")
    check(deployed.query_power_state() == PowerState.ON, "power_on: the BMC says On; query_power_state on")
    check(redfish.reset(index, "ForceOff") == 204, "Redfish ForceOff accepted")
    check(deployed.query_power_state() == PowerState.OFF, "a Redfish power-off shows in query_power_state")
    check(client.machines.get(deployed.system_id).power_state == PowerState.OFF, "and in power_state")
    redfish.reset(index, "On")
    redfish.wait_power(index, "On")
    check(client.machines.get(deployed.system_id).power_state == PowerState.ON, "a Redfish power-on shows too")

    # Release: Deployed -> Releasing -> Ready, powered off, owner cleared; releasing a Ready machine is a no-op.
    released = deployed.release(wait=True, wait_interval=0.2)
    check(released.status == NodeStatus.READY and released.owner is None, "release: Ready, no owner")
    check(redfish.power(index) == "Off", "release: the BMC says Off")
    check(released.release().status == NodeStatus.READY, "release of a Ready machine: nothing to do")
    target.tags.remove(tag)
    check(list(client.machines.get(target.system_id).tags) == [], "update_nodes remove")
    print("libmaas scenario passed", flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # the Swift test shows this text when the scenario fails
        print(f"libmaas scenario FAILED: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        raise
