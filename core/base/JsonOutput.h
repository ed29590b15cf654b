#pragma once

#include <QJsonObject>
#include <cstdio>

namespace greenpulse::core {

// Writes `object` as indented JSON to `stream` and flushes it: how the headless programs print
// their summaries and counters (their standard output is read by scripts and tests).
void printJson(FILE *stream, const QJsonObject &object);

} // namespace greenpulse::core
