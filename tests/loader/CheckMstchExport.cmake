# cmake -DHOST=crmhost -DMODULE=libmstch_user.so -DPLUGIN=libmassmailing.so -P CheckMstchExport.cmake
# The host exports mstch (it links Debian's static, non-PIC libmstch.a whole), and the modules
# leave mstch undefined, to be resolved against the host when they are loaded.
set(render_symbol "_ZN5mstch6render")

function(dynamic_symbols file option out)
    execute_process(COMMAND nm -D ${option} ${file} OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "nm -D ${option} ${file} failed: ${err}")
    endif()
    set(${out} "${symbols}" PARENT_SCOPE)
endfunction()

dynamic_symbols(${HOST} --defined-only host_defined)
if(NOT host_defined MATCHES " T ${render_symbol}")
    message(FATAL_ERROR "${HOST} does not export mstch::render (${render_symbol}...): modules that render "
                        "templates cannot be loaded. Make it with crmhost_host_executable().")
endif()

dynamic_symbols(${MODULE} --undefined-only module_undefined)
if(NOT module_undefined MATCHES "${render_symbol}")
    message(FATAL_ERROR "${MODULE} does not leave mstch::render to the host")
endif()

foreach(module ${MODULE} ${PLUGIN})
    dynamic_symbols(${module} --defined-only module_defined)
    if(module_defined MATCHES " T _ZN5mstch")
        message(FATAL_ERROR "${module} defines mstch symbols itself: a module must not link mstch")
    endif()
endforeach()

message(STATUS "${HOST} exports mstch::render; the modules resolve it there")
