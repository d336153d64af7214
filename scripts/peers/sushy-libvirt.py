# Keep one libvirt test:///default connection open for the process lifetime (state lives only
# while a connection is open), optionally define extra domains from a <node> XML, then run sushy.
import re, sys, libvirt
from sushy_tools.emulator import main as sushy_main
xml = sys.argv.pop(1) if len(sys.argv) > 1 and sys.argv[1].endswith('.xml') else None
conn = libvirt.open('test:///default')
if xml:
    text = open(xml).read()
    for dom in re.findall(r'<domain\b.*?</domain>', text, re.S):
        conn.defineXML(dom).create()
sys.exit(sushy_main.main())
