#pragma once

#include <QString>

namespace greenpulse::core {

struct InfluxOptions
{
    enum class Api { V1, V2 };
    // Who writes when several processes point at one database (core/influx/WriterLease.h). Off: no
    // lease (always write, no heartbeat), the default of the class; the programs default to Auto
    // (--influx-writer).
    enum class WriterMode { Off, Auto, Always, Never };

    QString url; // empty: writing is off
    Api api = Api::V1;
    QString org;
    QString bucket = QStringLiteral("greenpulse_metrics");
    QString database = QStringLiteral("greenpulse");
    QString retentionPolicy; // v1 only, optional
    QString token;           // v2; never logged
    QString username;        // v1; optional
    QString password;        // v1; never logged
    QString spoolDir;        // empty: defaultSpoolDir(<application name>)
    qint64 spoolMaxBytes = 512LL * 1024 * 1024;
    int flushIntervalMs = 1000;
    int maxBatchLines = 5000;
    bool gzip = true;
    WriterMode writerMode = WriterMode::Off;

    bool enabled() const { return !url.isEmpty(); }

    // The spool folder of `programName` when no --spool-dir is given:
    // <data dir>/spool-<programName> (base/DataDir.h). The options and the writer (for an empty
    // spoolDir, with the application name) both ask here.
    static QString defaultSpoolDir(const QString &programName);
    // The writer mode of the programs (--influx-writer), unlike the class's Off.
    static constexpr WriterMode kProgramWriterMode = WriterMode::Auto;

    // Every field equal: the dashboard rebuilds its writer when the settings change this.
    friend bool operator==(const InfluxOptions &a, const InfluxOptions &b);
    friend bool operator!=(const InfluxOptions &a, const InfluxOptions &b) { return !(a == b); }
};

} // namespace greenpulse::core
