/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/01-shim.nw (chapter 1); do not edit. */
/* mmlit.h: everything libmmlit offers. */
#ifndef MMLIT_H
#define MMLIT_H

#include "kernel.h"
#include "task.h"
#include "report.h"
#include "lockdep.h"
#include "locks.h"
#include "srcu.h"
#include "variant.h"
#include "fault.h"

#include "xarray.h"
#include "mm.h"
#include "fs.h"
#include "syscalls.h"

#endif /* MMLIT_H */
