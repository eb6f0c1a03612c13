# Each layer compiles against an include root of its own, build/<preset>/layers/<layer>/, that
# holds links to its own folder and to the folders src/layers.txt says it may use: an include
# that points up the layers (directly, or through a header it includes) does not compile.
# A line "<layer> headers: ..." holds a layer's headers to less; only scripts/check-layers reads it.
file(STRINGS ${CMAKE_SOURCE_DIR}/src/layers.txt GONGDAN_LAYER_LINES REGEX "^[a-z_/]+:")
# A changed layers.txt configures again, so the include roots and links follow it.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/layers.txt)
set(GONGDAN_LAYERS "")
foreach(line IN LISTS GONGDAN_LAYER_LINES)
  string(REGEX MATCH "^([^:]+):(.*)$" matched "${line}")
  string(REPLACE "/" "_" id "${CMAKE_MATCH_1}")
  separate_arguments(uses UNIX_COMMAND "${CMAKE_MATCH_2}")
  set(GONGDAN_LAYER_USES_${id} ${CMAKE_MATCH_1} ${uses})
  list(APPEND GONGDAN_LAYERS ${CMAKE_MATCH_1})
endforeach()
# gongdan_include_root(TARGET LAYER [PUBLIC]): TARGET compiles against LAYER's include root.
function(gongdan_include_root target layer)
  string(REPLACE "/" "_" id "${layer}")
  set(root ${CMAKE_BINARY_DIR}/layers/${id})
  set(folders ${GONGDAN_LAYER_USES_${id}})
  list(SORT folders)  # a folder before the folders inside it
  set(linked "")
  foreach(folder IN LISTS folders)
    set(inside FALSE)
    foreach(done IN LISTS linked)
      if(folder MATCHES "^${done}/")
        set(inside TRUE)
      endif()
    endforeach()
    if(inside)
      continue()
    endif()
    get_filename_component(parent ${root}/${folder} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT IS_SYMLINK ${root}/${folder})
      file(CREATE_LINK ${CMAKE_SOURCE_DIR}/src/${folder} ${root}/${folder} SYMBOLIC)
    endif()
    list(APPEND linked ${folder})
  endforeach()
  target_include_directories(${target} PRIVATE ${root})
endfunction()

# gongdan_layer_links(TARGET LAYER): TARGET links the libraries of the layers LAYER may use, as
# src/layers.txt lists them (each library registers its folder in gongdan_library).
function(gongdan_layer_links target layer)
  string(REPLACE "/" "_" id "${layer}")
  foreach(folder IN LISTS GONGDAN_LAYER_USES_${id})
    string(REPLACE "/" "_" used "${folder}")
    get_property(library GLOBAL PROPERTY GONGDAN_LIBRARY_OF_${used})
    if(library AND NOT library STREQUAL target)
      target_link_libraries(${target} PRIVATE ${library})
    endif()
  endforeach()
endfunction()
