# Generates one gzip-compressed man page with help2man from a program's real --help/--version.
# cmake -DHELP2MAN=... -DGZIP=... -DPROGRAM=/path/to/exe -DNAME=greenpulse-x -DSUMMARY="..."
#       -DOUTPUT=/path/name.1.gz -DINCLUDE=/path/common.h2m -P GenerateManPage.cmake
#
# If the program cannot produce --help/--version output yet, a short placeholder page is written
# (with a warning) so that the build and `cmake --install` keep working; packaging/test-deb.sh
# reports placeholder pages.
get_filename_component(_dir "${OUTPUT}" DIRECTORY)
file(MAKE_DIRECTORY "${_dir}")
string(REGEX REPLACE "\\.gz$" "" _page "${OUTPUT}")

# Deterministic pages: no build date, no machine-specific configuration, no window system.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH})
    set(ENV{SOURCE_DATE_EPOCH} 1795608000)
endif()
set(ENV{QT_QPA_PLATFORM} offscreen)
set(ENV{GREENPULSE_CONFIG} "")
set(ENV{LC_ALL} C.UTF-8)
set(ENV{HOME} "${_dir}")
set(ENV{XDG_CONFIG_HOME} "${_dir}/.config")
set(ENV{XDG_RUNTIME_DIR} "${_dir}")

set(_args --no-info --section=1 "--name=${SUMMARY}" "--output=${_page}")
if(INCLUDE AND EXISTS "${INCLUDE}")
    list(APPEND _args "--include=${INCLUDE}")
endif()
execute_process(COMMAND "${HELP2MAN}" ${_args} "${PROGRAM}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err TIMEOUT 30)
if(NOT _rc EQUAL 0)
    message(WARNING "help2man could not document ${NAME} (${_rc}): ${_err}"
                    "Writing a placeholder man page instead.")
    string(TOUPPER "${NAME}" _upper)
    file(WRITE "${_page}"
        ".TH ${_upper} 1 \"\" \"GreenPulse\" \"User Commands\"\n"
        ".SH NAME\n${NAME} \\- ${SUMMARY}\n"
        ".SH SYNOPSIS\n.B ${NAME}\n[\\fIOPTION\\fR]...\n"
        ".SH DESCRIPTION\nRun\n.B ${NAME} \\-\\-help\nfor the options.\n"
        ".\\\" greenpulse-placeholder-man-page\n")
endif()
execute_process(COMMAND "${GZIP}" -n -9 -f "${_page}" RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gzip failed on ${_page}")
endif()
