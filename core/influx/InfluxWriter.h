#pragma once

// Asynchronous InfluxDB writer (v1 and v2 HTTP APIs) that loses nothing: lines are batched
// (every flushInterval or at maxBatchLines), each batch is put in an on-disk spool before it is
// sent and removed only when the server acknowledges it, failures are retried with exponential
// backoff and jitter (honouring Retry-After), and the spool is replayed in order after an outage
// or a restart. Runs on the Qt event loop of its thread (one kept-alive HttpConnection).

#include "influx/InfluxOptions.h"
#include "influx/InfluxStatus.h"
#include "influx/LineSink.h"

#include <QObject>
#include <memory>

namespace greenpulse::core {

class InfluxWriter : public QObject, public LineSink
{
    Q_OBJECT
public:
    explicit InfluxWriter(InfluxOptions options, QObject *parent = nullptr);
    ~InfluxWriter() override;

    // Opens the spool (replaying what a previous run left), starts the flush timer.
    void start();
    // Applies new options (e.g. from the GUI's settings dialog); the spool is kept.
    void reconfigure(const InfluxOptions &options);

    void writeLines(const QList<QByteArray> &lines) override;
    void writeLine(const QByteArray &line) { writeLines({line}); }

    // Moves buffered lines into a spooled batch now and tries to send.
    void flush();
    // For shutdown: flush, then run a local event loop for at most timeoutMs until the queue is
    // empty. What is not acknowledged by then stays in the spool for the next start.
    bool drain(int timeoutMs);

    InfluxStatus status() const;
    const InfluxOptions &options() const;

    // Backoff after a failure: initialMs doubling up to maxMs, with jitter (default 500 ms to
    // 30 s). A server's Retry-After takes precedence. Mainly for tests.
    void setRetryBackoff(int initialMs, int maxMs);
    // The spool folder in use: options().spoolDir, or InfluxOptions::defaultSpoolDir(<application
    // name>) when that is empty.
    QString spoolDir() const;

signals:
    void statusChanged(const greenpulse::core::InfluxStatus &status);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace greenpulse::core
