// SPDX-License-Identifier: Apache-2.0
// A shared library (MODULE) that contains the accelerator: linked from the installed static libraries, which
// must be position-independent for that.
#include "spark_plugin.h"

#include <exception>
#include <string>

#include <spark/accelerator/accelerator.h>
#include <spark/common/version.h>

extern "C" __attribute__((visibility("default"))) const char* spark_plugin_create(const char* name,
                                                                                   SparkPluginPorts* ports) {
    static std::string error;
    if (name == nullptr || ports == nullptr) return "spark_plugin_create: name and ports must not be null";
    try {
        // Owned by the simulation from here on, as any module the platform itself creates.
        auto* accelerator =
            new spark::accelerator::SparkAccelerator(name, spark::accelerator::AcceleratorConfig{});
        ports->csr = &accelerator->csr;
        ports->memory = &accelerator->memory;
        ports->irq = &accelerator->irq;
        ports->package_version = SPARK_TLM_VERSION_STRING;
        return nullptr;
    } catch (const std::exception& e) {
        error = std::string("spark_plugin_create: ") + e.what();
        return error.c_str();
    }
}
