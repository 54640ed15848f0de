/* SPDX-License-Identifier: GPL-2.0 */
/* Tangled from src-lit/81-tasks.nw (appendix A); do not edit. */
/*
 * task-internal.h: what task.c, hung_task.c and sched-det.c share.
 * Not an interface: the contracts are in task.h.
 */
#ifndef MMLIT_TASK_INTERNAL_H
#define MMLIT_TASK_INTERNAL_H

#include "locks.h"

/* task.c: the task list, and a task's allocation, thread and record. */
extern pthread_mutex_t tasks_lock;
extern struct list_head all_tasks;
struct task_struct *task_alloc(const char *name);
void task_free(struct task_struct *t);
void *task_trampoline(void *p);
void blocked_on_get(struct task_struct *u, struct blocked_on *b);
void wake_to_abort(struct task_struct *p);

/* hung_task.c: a sleeper's check, every DETECT_PERIOD_MS of sleep. */
#define DETECT_PERIOD_MS	10
void detect_deadlock(struct task_struct *t, long waited_ms);
void wf_describe(struct report *r, struct task_struct *u);

/* sched-det.c: a task's life cycle in a deterministic run. */
void det_add(struct task_struct *t);
void det_wait_turn(struct task_struct *t);
void det_block(struct task_struct *t);
void det_exit(struct task_struct *t);
void det_forget(struct task_struct *t);

#endif /* MMLIT_TASK_INTERNAL_H */
