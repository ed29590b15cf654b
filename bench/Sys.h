#pragma once

// Small process and system helpers for the harness: finding programs, /proc memory figures,
// waiting on the Qt event loop. (Free ports, HTTP and the servers: testing/servers.)

#include <QByteArray>
#include <QString>
#include <functional>

namespace greenpulse::bench::sys {

// Next to greenpulse-bench first (the product's programs), then PATH and the sbin folders.
QString findProgram(const QString &name);
// A field of /proc/<pid>/status in kB ("VmRSS", "VmHWM"); -1 when unreadable.
qint64 procStatusKb(qint64 pid, const char *field);
// user + system CPU seconds of a process (from /proc/<pid>/stat); -1 when unreadable.
double cpuSeconds(qint64 pid);
// Spins the event loop until pred() holds or timeoutMs passed; returns pred().
bool waitUntil(const std::function<bool()> &pred, int timeoutMs);
void spin(int ms);
// Seconds since the Unix epoch, with microseconds.
double wallSeconds();

} // namespace greenpulse::bench::sys
