#pragma once

// The HTTP side of InfluxWriter (and of WriterLease, which asks the same server): the requests it
// sends, what it reads from the answers (Retry-After, the server's message), its retry backoff,
// the masking of credentials in what it logs, and the gzip of request bodies. The spool on disk is
// Spool's.

#include "base/Backoff.h"
#include "http/HttpConnection.h"
#include "influx/InfluxOptions.h"

#include <QByteArray>
#include <QString>

namespace greenpulse::core {

namespace influxhttp {
// POST /write?db=&rp=&precision=ns (v1) or /api/v2/write?org=&bucket=&precision=ns (v2), with the
// Authorization header (Basic for v1 when a user is set, Token for v2). Credentials never go into
// the URL: user:password@ in options.url is moved to the header.
// The body is left to the caller.
HttpRequest writeRequest(const InfluxOptions &o);
// v1: POST /query with q=CREATE DATABASE "<db>" in the form body.
HttpRequest createDatabaseRequest(const InfluxOptions &o);
// GET /query?db=<database>[&rp=<retention policy>]&epoch=<epoch>&q=<influxql>: InfluxQL on the v1
// endpoint (InfluxDB 2.x serves it too, for a database mapped to a bucket), with the write
// request's credentials. WriterLease and HistoryQuery read through it.
HttpRequest queryRequest(const InfluxOptions &o, const QString &influxql,
                         const QString &epoch = QStringLiteral("ms"));
// A request fails when nothing is sent or received for this long.
inline constexpr int kRequestTimeoutMs = 30000;
// Retry-After as delay-seconds or HTTP date, in ms (capped at 5 minutes); -1 when absent.
int parseRetryAfter(const QByteArray &value);
// The writer's backoff after a failed request: 500 ms doubling up to 30 s, each delay drawn
// between half the step and the whole step ("equal jitter"); a Retry-After (when >= 0) instead,
// plus up to 250 ms of jitter.
Backoff::Policy retryBackoffPolicy();
// The server's explanation from an error body: v1 {"error"}, v2 {"message"}, or the raw start.
QString serverMessage(const QByteArray &body);
// Replaces the token and password, wherever they appear, with ***.
QString sanitize(const InfluxOptions &o, QString text);
} // namespace influxhttp

// gzip (RFC 1952) compression with zlib, for Content-Encoding: gzip. Level 1 (fastest): on line
// protocol ~3 times faster than the default level 6 (1.4 vs 3.8 ms for a 5,000-line batch) for
// ~15 % more bytes.
QByteArray gzipCompress(const QByteArray &data);

} // namespace greenpulse::core
