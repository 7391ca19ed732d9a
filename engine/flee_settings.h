/*
 * flee_settings.h — reading simsetting.yml (internal to the FLEE reader).
 */
#ifndef DR_FLEE_SETTINGS_H
#define DR_FLEE_SETTINGS_H

#include "flee.h"
#include "flee_text.h"

/* Read FLEE's settings from YAML `text` (file `path`, for messages) over
 * the values already in `s` (normally dr_flee_settings_default). Returns 0,
 * or -1 after reporting every problem to `e`. */
int dr_flee_settings_read(dr_flee_settings *s, const char *text, const char *path,
                          dr_flee_errs *e);

#endif /* DR_FLEE_SETTINGS_H */
