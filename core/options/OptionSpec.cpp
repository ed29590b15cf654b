#include "options/OptionSpec.h"

#include <cmath>

namespace greenpulse::core {

namespace {

OptionSpec make(QString name, OptionSpec::Kind kind, QString valueName, QString description,
                QString defaultValue)
{
    OptionSpec s;
    s.name = std::move(name);
    s.kind = kind;
    s.valueName = std::move(valueName);
    s.description = std::move(description);
    s.defaultValue = std::move(defaultValue);
    return s;
}

// "a", "a or b", "a, b or c"
QString alternatives(const QStringList &choices)
{
    if (choices.size() < 2) {
        return choices.value(0);
    }
    return choices.mid(0, choices.size() - 1).join(QStringLiteral(", ")) + QStringLiteral(" or ") +
           choices.last();
}

} // namespace

OptionSpec OptionSpec::text(QString name, QString valueName, QString description,
                            QString defaultValue)
{
    return make(std::move(name), Kind::String, std::move(valueName), std::move(description),
                std::move(defaultValue));
}

OptionSpec OptionSpec::path(QString name, QString valueName, QString description,
                            QString defaultValue)
{
    return make(std::move(name), Kind::Path, std::move(valueName), std::move(description),
                std::move(defaultValue));
}

OptionSpec OptionSpec::url(QString name, QString description, QString defaultValue)
{
    return make(std::move(name), Kind::Url, QStringLiteral("url"), std::move(description),
                std::move(defaultValue));
}

OptionSpec OptionSpec::integer(QString name, QString valueName, QString description,
                               qint64 defaultValue)
{
    return make(std::move(name), Kind::Int, std::move(valueName), std::move(description),
                QString::number(defaultValue));
}

OptionSpec OptionSpec::real(QString name, QString valueName, QString description,
                            double defaultValue)
{
    return make(std::move(name), Kind::Double, std::move(valueName), std::move(description),
                numberText(defaultValue));
}

OptionSpec OptionSpec::oneOf(QString name, QStringList choices, QString description,
                             QString defaultValue)
{
    OptionSpec s = make(std::move(name), Kind::Enum, choices.join(QLatin1Char('|')),
                        std::move(description), std::move(defaultValue));
    s.choices = std::move(choices);
    return s;
}

OptionSpec OptionSpec::flag(QString name, QString description)
{
    return make(std::move(name), Kind::Bool, QString(), std::move(description), QString());
}

OptionSpec &OptionSpec::range(double min, double max)
{
    minimum = min;
    maximum = max;
    return *this;
}

OptionSpec &OptionSpec::inGroup(int g)
{
    group = g;
    return *this;
}

OptionSpec &OptionSpec::asSecret()
{
    secret = true;
    return *this;
}

OptionSpec &OptionSpec::onDashboard()
{
    dashboard = true;
    return *this;
}

QString OptionSpec::numberText(double value)
{
    return QString::number(value, 'g', 15);
}

QString OptionSpec::canonicalChoice(const QString &value) const
{
    const QString wanted = value.trimmed();
    for (const QString &choice : choices) {
        if (wanted.compare(choice, Qt::CaseInsensitive) == 0) {
            return choice;
        }
    }
    return {};
}

std::optional<QString> OptionSpec::problem(const QString &value) const
{
    if (kind == Kind::Enum) {
        if (canonicalChoice(value).isEmpty()) {
            return QStringLiteral("must be %1").arg(alternatives(choices));
        }
        return std::nullopt;
    }
    if (!isNumber()) {
        return std::nullopt;
    }
    bool ok = false;
    const double v = value.trimmed().toDouble(&ok);
    const bool whole = kind == Kind::Int;
    const bool fits =
        ok && std::isfinite(v) && v >= minimum && v <= maximum && (!whole || v == std::floor(v));
    if (fits) {
        return std::nullopt;
    }
    const QString number = whole ? QStringLiteral("whole number") : QStringLiteral("number");
    if (std::isinf(maximum)) {
        if (minimum == 0) {
            return QStringLiteral("must be a non-negative %1").arg(number);
        }
        return QStringLiteral("must be a %1 of at least %2").arg(number, numberText(minimum));
    }
    return QStringLiteral("must be a %1 from %2 to %3")
        .arg(number, numberText(minimum), numberText(maximum));
}

} // namespace greenpulse::core
