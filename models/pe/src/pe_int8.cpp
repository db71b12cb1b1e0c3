// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/pe_int8.h"
