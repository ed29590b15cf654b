#pragma once

// One writer per InfluxDB database. Two processors writing the same database overwrite each
// other's points (a job's cumulative_kwh zig-zags between their totals), so the InfluxWriters of a
// database agree on one writer; the others only view (their points are counted, not written).
//
// Every process with a lease writes a heartbeat point every kHeartbeatMs on its own connection:
//   greenpulse_writer,writer=<id> host="…",program="…",pid=…i[,since=<ms>i]
// without a timestamp, so the server's clock stamps it. <id> is stable for one host, program and
// spool folder (a restart keeps it). After each heartbeat it reads the heartbeats of the last
// kStaleSeconds (InfluxQL on /query: InfluxDB 1.x, and InfluxDB 2.x through its v1-compatible
// endpoint with a DBRP mapping). Each writer's seniority is the server time of its first heartbeat
// (carried on in its `since` field, and inherited by a restart under the same id within
// kStaleSeconds); the most senior fresh writer (ties: the lower id) writes. Every process computes
// the same answer from the same rows, so two starting at once never both write. A writer whose
// heartbeats stop is stale after kStaleSeconds; the next senior one takes over at its next check.

#include "influx/InfluxOptions.h"

#include <QObject>
#include <memory>

namespace greenpulse::core {

class WriterLease : public QObject
{
    Q_OBJECT
public:
    enum class Decision {
        Undecided, // not known yet (or not confirmed since a failed check): spool, do not send
        Writing,   // this process writes
        Viewing,   // another process writes: points are counted, not written, not spooled
    };
    static constexpr int kHeartbeatMs = 2000;
    static constexpr int kStaleSeconds = 15;
    static constexpr const char *kMeasurement = "greenpulse_writer";

    explicit WriterLease(QObject *parent = nullptr);
    ~WriterLease() override;

    // (Re)starts with these options: Off (or writing off) decides Writing at once and sends
    // nothing; the others heartbeat (not Never) and check at once, then every kHeartbeatMs.
    void start(const InfluxOptions &options);
    void stop();

    Decision decision() const;
    bool mayWrite() const { return decision() == Decision::Writing; }
    // Lines offered by the writer: false (and counted in notWritten()) while viewing.
    bool admit(qint64 lines);
    quint64 notWritten() const;
    // For the status bar: "viewing only: <host>/<program> writes to this database since
    // HH:MM:SS", or why the lease could not be checked. Empty while writing normally.
    QString note() const;
    QString writerId() const;

signals:
    void decisionChanged(greenpulse::core::WriterLease::Decision decision);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// "auto", "always", "never" (and "off", the library default); false for anything else.
bool parseWriterMode(const QString &text, InfluxOptions::WriterMode *mode);

} // namespace greenpulse::core
