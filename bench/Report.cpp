#include "Report.h"

#include <cstdio>

namespace greenpulse::bench {

void Report::add(const QString &section, const QString &label, double value, const QString &unit,
                 const QString &key, Goal goal, double target, int decimals)
{
    Row row;
    row.section = section;
    row.label = label;
    row.value = value;
    row.unit = unit;
    row.key = key;
    row.goal = goal;
    row.target = target;
    row.decimals = decimals;
    m_rows.append(row);
    std::fprintf(stderr, "[bench] %s: %s = %s %s\n", qPrintable(section), qPrintable(label),
                 qPrintable(QString::number(value, 'f', decimals)), qPrintable(unit));
}

void Report::note(const QString &section, const QString &text)
{
    Row row;
    row.section = section;
    row.text = text;
    row.isNote = true;
    m_rows.append(row);
    std::fprintf(stderr, "[bench] %s: %s\n", qPrintable(section), qPrintable(text));
}

void Report::fail(const QString &section, const QString &text)
{
    m_failed = true;
    note(section, QStringLiteral("FAILED: ") + text);
}

std::optional<double> Report::value(const QString &key) const
{
    for (const Row &row : m_rows) {
        if (!row.isNote && row.key == key) {
            return row.value;
        }
    }
    return std::nullopt;
}

void Report::print() const
{
    std::printf("\n| section | figure | value | target | |\n|---|---|---:|---|---|\n");
    for (const Row &row : m_rows) {
        if (row.isNote) {
            std::printf("| %s | %s | | | |\n", qPrintable(row.section), qPrintable(row.text));
            continue;
        }
        QString target;
        QString verdict;
        if (row.goal != Goal::None) {
            const bool holds =
                row.goal == Goal::AtLeast ? row.value >= row.target : row.value <= row.target;
            target = (row.goal == Goal::AtLeast ? QStringLiteral("≥ ") : QStringLiteral("≤ ")) +
                     QString::number(row.target);
            verdict = holds ? QStringLiteral("holds") : QStringLiteral("MISSED");
        }
        const QString label =
            row.key.isEmpty() ? row.label
                              : row.label + QStringLiteral(" (`") + row.key + QStringLiteral("`)");
        std::printf("| %s | %s | %s %s | %s | %s |\n", qPrintable(row.section), qPrintable(label),
                    qPrintable(QString::number(row.value, 'f', row.decimals)), qPrintable(row.unit),
                    qPrintable(target), qPrintable(verdict));
    }
    std::printf("\n");
    for (const Row &row : m_rows) {
        if (!row.isNote && !row.key.isEmpty()) {
            std::printf("%s=%s\n", qPrintable(row.key),
                        qPrintable(QString::number(row.value, 'f', row.decimals)));
        }
    }
    std::printf("bench_checks=%s\n", m_failed ? "FAILED" : "ok");
    std::fflush(stdout);
}

} // namespace greenpulse::bench
