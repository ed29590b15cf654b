#pragma once

// Small helpers for running servers on loopback: free ports, finding programs, synchronous HTTP.

#include <QByteArray>
#include <QString>

namespace greenpulse::servers {

// A loopback TCP port nobody listens on right now (0 if none could be had).
quint16 freePort();
// True once something accepts TCP connections on 127.0.0.1:port (polls until timeoutMs).
bool waitForPort(quint16 port, int timeoutMs);

// A program on PATH, else in /usr/sbin, /sbin, /usr/local/sbin, /usr/local/bin or /usr/bin;
// empty when not found.
QString findExecutable(const QString &name);

// Synchronous HTTP request (spins a local event loop). Returns the status code, or 0 on failure.
int httpRequest(const QString &method, const QString &url, const QByteArray &body = {},
                QByteArray *response = nullptr, int timeoutMs = 10000);

} // namespace greenpulse::servers
