#pragma once

// Collects the harness's figures and prints them: a readable table, then one `name=value` line
// per headline figure (for scripts and BENCHMARKS.md).

#include <QString>
#include <QVector>
#include <optional>

namespace greenpulse::bench {

class Report
{
public:
    enum class Goal { None, AtLeast, AtMost };

    // A figure; `key` non-empty makes it a headline `key=value` line.
    void add(const QString &section, const QString &label, double value, const QString &unit,
             const QString &key = {}, Goal goal = Goal::None, double target = 0, int decimals = 2);
    // A line of text in the table (e.g. "drops: none", "skipped: no influxd").
    void note(const QString &section, const QString &text);
    // A failed check (every message accounted, ...): printed, and the exit code becomes 1.
    void fail(const QString &section, const QString &text);

    bool failed() const { return m_failed; }
    std::optional<double> value(const QString &key) const;
    void print() const;

private:
    struct Row
    {
        QString section;
        QString label;
        QString text; // for notes
        double value = 0;
        QString unit;
        QString key;
        Goal goal = Goal::None;
        double target = 0;
        int decimals = 2;
        bool isNote = false;
    };
    QVector<Row> m_rows;
    bool m_failed = false;
};

} // namespace greenpulse::bench
