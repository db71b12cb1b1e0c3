# SPDX-License-Identifier: Apache-2.0
# spark_dram_embed_presets(out_file preset_dir): writes a C++ file mapping each preset name (file name without
# .json) to the file's text.
function(spark_dram_embed_presets out_file preset_dir)
  file(GLOB presets CONFIGURE_DEPENDS ${preset_dir}/*.json)
  list(SORT presets)
  # Editing a preset reruns CMake, which writes the file again: a build never keeps stale preset text.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${presets})
  set(body "// Generated from models/dram/presets by CMake; edit the JSON files instead.\n")
  string(APPEND body "#include \"presets_embedded.h\"\n#include <cstring>\nnamespace spark::dram {\nnamespace {\n")
  string(APPEND body "struct Entry { const char* name; const char* text; };\nconst Entry k_presets[] = {\n")
  foreach(p ${presets})
    get_filename_component(name ${p} NAME_WE)
    file(READ ${p} text)
    string(APPEND body "  {\"${name}\", R\"spark_json(${text})spark_json\"},\n")
  endforeach()
  string(APPEND body "};\n}  // namespace\n")
  string(APPEND body "const char* find_embedded_preset(const std::string& name) {\n  for (const auto& e : k_presets) if (name == e.name) return e.text;\n  return nullptr;\n}\n")
  string(APPEND body "std::vector<std::string> embedded_preset_names() {\n  std::vector<std::string> v;\n  for (const auto& e : k_presets) v.emplace_back(e.name);\n  return v;\n}\n}  // namespace spark::dram\n")
  file(WRITE ${out_file}.tmp "${body}")
  configure_file(${out_file}.tmp ${out_file} COPYONLY)
endfunction()
