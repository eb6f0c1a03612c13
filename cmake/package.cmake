# Installation layout and the Debian package (CPack's DEB generator; scripts/package builds it):
#   /usr/bin/gongdan                         the binary
#   /usr/share/gongdan/web/                  the built web app (found from the binary's place)
#   /etc/gongdan/gongdan.toml                the configuration (a conffile)
#   /lib/systemd/system/gongdan.service      the hardened unit
#   /usr/share/doc/gongdan/                  the docs, and examples/ (nginx site, postfix pipe)
# The maintainer scripts (deploy/debian/) create the gongdan system user and /var/lib/gongdan,
# and enable and start the service.
install(TARGETS gongdan RUNTIME DESTINATION bin)
# The web app is built by scripts/package (npm) before cpack; a tree without it installs none.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/web/dist/ DESTINATION share/gongdan/web OPTIONAL)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/gongdan.toml DESTINATION /etc/gongdan
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/gongdan.service
        DESTINATION /lib/systemd/system)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE
        DESTINATION share/doc/gongdan)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION share/doc/gongdan)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/nginx/gongdan-site.conf
              ${CMAKE_SOURCE_DIR}/deploy/nginx/gongdan.conf
              ${CMAKE_SOURCE_DIR}/deploy/postfix/master.cf
              ${CMAKE_SOURCE_DIR}/deploy/postfix/transport
        DESTINATION share/doc/gongdan/examples)

# The package's version: the project's, then the number of commits, so every later commit's
# package is an upgrade of an earlier one's (scripts/package passes GONGDAN_PACKAGE_REVISION).
set(GONGDAN_PACKAGE_REVISION "0" CACHE STRING "Commits since the start: the package's revision")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gongdan)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}+${GONGDAN_PACKAGE_REVISION}")
set(CPACK_PACKAGE_CONTACT "gongdan maintainers <gongdan@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-hosted help desk (工单)")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries the binary links, found by dpkg-shlibdeps; the maintainer scripts' tools.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~), tzdata")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "nginx, certbot, python3-certbot-nginx, postfix, postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles ${CMAKE_SOURCE_DIR}/deploy/debian/postinst
    ${CMAKE_SOURCE_DIR}/deploy/debian/prerm ${CMAKE_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
