# Helpers shared by every module: one place for warnings, sanitizers and tests.

# pulse_set_warnings(<target>): the project's warning set, errors when asked.
function(pulse_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                                             -Wnon-virtual-dtor -Wcast-align -Wformat=2)
    if(PULSE_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
    target_compile_definitions(${target} PRIVATE QT_NO_URL_CAST_FROM_STRING QT_NO_CAST_FROM_ASCII
                                                 QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)
    if(PULSE_SANITIZE)
        target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                                 -fno-sanitize-recover=undefined)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
    if(PULSE_TSAN)
        # g++ 12 warns that TSan does not model atomic_thread_fence (Boost.Asio uses it): noted in
        # tests/tsan.supp's header, not an error of ours.
        target_compile_options(${target} PRIVATE -fsanitize=thread -fno-omit-frame-pointer
                                                 $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
        target_link_options(${target} PRIVATE -fsanitize=thread)
    endif()
endfunction()

# pulse_add_library(<name> SOURCES ... [PUBLIC_LIBS ...] [PRIVATE_LIBS ...])
# A static library pulse_<name> with the ALIAS pulse::<name>; its folder is its include root's child.
function(pulse_add_library name)
    cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
    add_library(pulse_${name} STATIC ${ARG_SOURCES})
    add_library(pulse::${name} ALIAS pulse_${name})
    target_include_directories(pulse_${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(pulse_${name} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS})
    pulse_set_warnings(pulse_${name})
endfunction()

# pulse_add_test(<name> SOURCES ... LIBS ... [GUI] [LABELS ...])
# One Qt Test executable per file, registered with CTest. GUI tests run offscreen.
function(pulse_add_test name)
    cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBS})
    pulse_set_warnings(${name})
    target_compile_definitions(${name} PRIVATE
        PULSE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        PULSE_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared"
        PULSE_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    set(env "QT_QPA_PLATFORM=offscreen" "QT_LOGGING_RULES=qt.qpa.*=false")
    if(PULSE_SANITIZE)
        list(APPEND env "ASAN_OPTIONS=detect_leaks=0" "UBSAN_OPTIONS=print_stacktrace=1")
    endif()
    if(PULSE_TSAN)
        # Qt and the system libraries are not instrumented: their own synchronisation is invisible
        # to TSan, so reports whose stacks are entirely inside them are suppressed (tests/tsan.supp).
        list(APPEND env "TSAN_OPTIONS=halt_on_error=1 second_deadlock_stack=1 die_after_fork=0 suppressions=${PROJECT_SOURCE_DIR}/tests/tsan.supp")
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}" TIMEOUT ${ARG_TIMEOUT}
                                            LABELS "${ARG_LABELS}")
endfunction()
