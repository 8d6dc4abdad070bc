// The BPF program's skeleton (bpftool gen skeleton), after the types of its global data
// (record_shared.h), which the generated header does not include itself.
#pragma once

#include <linux/types.h>

#include "record_shared.h"
#include "record.skel.h"
