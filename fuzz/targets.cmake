# SPDX-License-Identifier: Apache-2.0
# The fuzz targets and the libraries each links; shared by the libFuzzer build (fuzz/CMakeLists.txt) and the
# corpus replay in the normal test suite (tests/fuzz/CMakeLists.txt).
set(SPARK_FUZZ_TARGETS
  stream_unpack nibble_decoder decode_chunk
  npy_reader spk_reader
  workload_yaml workload_csv
  arch_config dram_config sram_config energy_config
  layer_descriptor dram_trace
  accelerator_image)
set(SPARK_FUZZ_LIBS_stream_unpack spark::codec_core)
set(SPARK_FUZZ_LIBS_nibble_decoder spark::codec_core)
set(SPARK_FUZZ_LIBS_decode_chunk spark::codec_core)
set(SPARK_FUZZ_LIBS_npy_reader spark::tensor)
set(SPARK_FUZZ_LIBS_spk_reader spark_spk_file)
set(SPARK_FUZZ_LIBS_workload_yaml spark::workload)
set(SPARK_FUZZ_LIBS_workload_csv spark::workload)
set(SPARK_FUZZ_LIBS_arch_config spark::platform)
set(SPARK_FUZZ_LIBS_dram_config spark::dram)
set(SPARK_FUZZ_LIBS_sram_config spark::buffer)
set(SPARK_FUZZ_LIBS_energy_config spark::energy)
set(SPARK_FUZZ_LIBS_layer_descriptor spark::accelerator_core)
set(SPARK_FUZZ_LIBS_dram_trace spark::tb_memory_traffic)
set(SPARK_FUZZ_LIBS_accelerator_image spark::platform)
# Targets that run the SystemC kernel (the others link SystemC for its types only): in the libFuzzer build they link
# scripts/sanitizers/systemc_main_stack.cpp, which a sanitized normal build links into every executable.
set(SPARK_FUZZ_SYSTEMC_TARGETS accelerator_image)
