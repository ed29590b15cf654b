#pragma once

// Small process and system helpers for the harness: free ports, finding programs, /proc
// memory figures, waiting on the Qt event loop, synchronous HTTP.

#include <QByteArray>
#include <QString>
#include <functional>

namespace greenpulse::bench::sys {

quint16 freePort();
bool waitForPort(quint16 port, int timeoutMs);
// Next to greenpulse-bench first (the product's programs), then PATH, /usr/sbin, /sbin.
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
// Synchronous HTTP (spins a local event loop). Returns the status code, 0 on failure.
int http(const QByteArray &method, const QString &url, const QByteArray &body = {},
         QByteArray *response = nullptr, int timeoutMs = 30000);

} // namespace greenpulse::bench::sys
