# Installs the configuration (/etc) and the systemd units, run at install time (install(CODE) in
# packaging/CMakeLists.txt), so that where they go follows the prefix the install really uses, not
# the one the tree was configured with: cpack installs with its own prefix (/usr, see
# CPACK_PACKAGING_INSTALL_PREFIX), `cmake --install --prefix` with another.
#
#   prefix /usr (the .deb, or an install to /usr):  /etc/...,          /lib/systemd/system
#   any other prefix P:                             P/etc/...,         P/lib/systemd/system
#
# Set by the caller: GREENPULSE_PACKAGING_SOURCE_DIR, GREENPULSE_PACKAGING_BINARY_DIR,
# GREENPULSE_BINDIR (relative, GNUInstallDirs), GREENPULSE_UNITS (the units of the programs
# built), GREENPULSE_SYSTEMD_UNITDIR (empty: as above).
# file(INSTALL) prepends $DESTDIR and records each file in the install manifest.

if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(_gp_etc /etc)
    set(_gp_unitdir /lib/systemd/system)
else()
    set(_gp_etc "${CMAKE_INSTALL_PREFIX}/etc")
    set(_gp_unitdir "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
endif()
if(GREENPULSE_SYSTEMD_UNITDIR)
    set(_gp_unitdir "${GREENPULSE_SYSTEMD_UNITDIR}")
endif()
set(_gp_src "${GREENPULSE_PACKAGING_SOURCE_DIR}")

set(_gp_644 PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
file(INSTALL "${_gp_src}/greenpulse.conf" DESTINATION "${_gp_etc}/greenpulse" ${_gp_644})
# Broker accounts and ACLs (docs/security.md): the ACL as a conffile.
file(INSTALL "${_gp_src}/mosquitto/greenpulse-acl.conf" DESTINATION "${_gp_etc}/greenpulse"
    RENAME mosquitto-acl.conf ${_gp_644})
# Environment for the services; may hold secrets: owner only.
file(INSTALL "${_gp_src}/greenpulse.default" DESTINATION "${_gp_etc}/default"
    RENAME greenpulse PERMISSIONS OWNER_READ OWNER_WRITE)

# The units name the programs and the configuration where this install puts them.
set(GREENPULSE_SYSCONFDIR "${_gp_etc}")
set(CMAKE_INSTALL_FULL_BINDIR "${CMAKE_INSTALL_PREFIX}/${GREENPULSE_BINDIR}")
string(MD5 _gp_layout "${CMAKE_INSTALL_FULL_BINDIR}|${_gp_etc}")
set(_gp_out "${GREENPULSE_PACKAGING_BINARY_DIR}/units-${_gp_layout}")
foreach(_gp_unit IN LISTS GREENPULSE_UNITS)
    configure_file("${_gp_src}/systemd/${_gp_unit}.service.in" "${_gp_out}/${_gp_unit}.service"
        @ONLY)
    file(INSTALL "${_gp_out}/${_gp_unit}.service" DESTINATION "${_gp_unitdir}" ${_gp_644})
endforeach()
