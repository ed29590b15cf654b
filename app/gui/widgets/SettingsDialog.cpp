#include "widgets/SettingsDialog.h"

#include "runtime/GuiSettings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace greenpulse::app {

namespace {

struct FieldInfo
{
    const char *option;
    const char *label;
    const char *hint;
};

const FieldInfo kFields[] = {
    {"broker", QT_TRANSLATE_NOOP("SettingsDialog", "Broker URL"),
     QT_TRANSLATE_NOOP("SettingsDialog", "tcp://host:1883, or ssl://host:8883 for TLS")},
    {"client-id", QT_TRANSLATE_NOOP("SettingsDialog", "Client id"),
     QT_TRANSLATE_NOOP("SettingsDialog", "Default: greenpulse-<this host>")},
    {"username", QT_TRANSLATE_NOOP("SettingsDialog", "User name"), ""},
    {"password", QT_TRANSLATE_NOOP("SettingsDialog", "Password"), ""},
    {"ca-file", QT_TRANSLATE_NOOP("SettingsDialog", "TLS CA file"),
     QT_TRANSLATE_NOOP("SettingsDialog", "PEM certificate; enables TLS")},
    {"influx-url", QT_TRANSLATE_NOOP("SettingsDialog", "URL"),
     QT_TRANSLATE_NOOP("SettingsDialog", "http://127.0.0.1:8086")},
    {"influx-api", QT_TRANSLATE_NOOP("SettingsDialog", "API"), ""},
    {"influx-org", QT_TRANSLATE_NOOP("SettingsDialog", "Organisation (v2)"), ""},
    {"influx-bucket", QT_TRANSLATE_NOOP("SettingsDialog", "Bucket (v2)"), ""},
    {"influx-db", QT_TRANSLATE_NOOP("SettingsDialog", "Database (v1)"), ""},
    {"influx-token", QT_TRANSLATE_NOOP("SettingsDialog", "Token (v2)"), ""},
    {"influx-user", QT_TRANSLATE_NOOP("SettingsDialog", "User (v1)"), ""},
    {"influx-password", QT_TRANSLATE_NOOP("SettingsDialog", "Password (v1)"), ""},
    {"carbon-intensity", QT_TRANSLATE_NOOP("SettingsDialog", "Carbon intensity"), ""},
    {"pue", QT_TRANSLATE_NOOP("SettingsDialog", "PUE"), ""},
    {"max-gap-s", QT_TRANSLATE_NOOP("SettingsDialog", "Maximum gap"), ""},
};

const FieldInfo *info(const QString &option)
{
    for (const FieldInfo &f : kFields) {
        if (option == QLatin1String(f.option)) {
            return &f;
        }
    }
    return nullptr;
}

} // namespace

SettingsDialog::SettingsDialog(GuiSettings &settings, QWidget *parent)
    : QDialog(parent), m_settings(settings)
{
    setWindowTitle(tr("GreenPulse settings"));
    setObjectName(QStringLiteral("settingsDialog"));

    m_influxWriting = new QCheckBox(tr("Write points to InfluxDB"));
    m_initialWriting = m_settings.influxWritingEnabled();
    m_influxWriting->setChecked(m_initialWriting);

    auto *note = new QLabel(tr("Changes apply at once, without a restart. Values given on the "
                               "command line or as GREENPULSE_* environment variables win and "
                               "are shown read-only."));
    note->setWordWrap(true);
    note->setForegroundRole(QPalette::PlaceholderText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply && close"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *columns = new QHBoxLayout;
    auto *left = new QVBoxLayout;
    left->addWidget(
        group(tr("MQTT broker"),
              {QStringLiteral("broker"), QStringLiteral("client-id"), QStringLiteral("username"),
               QStringLiteral("password"), QStringLiteral("ca-file")}));
    left->addWidget(group(tr("Accounting"), {QStringLiteral("carbon-intensity"),
                                             QStringLiteral("pue"), QStringLiteral("max-gap-s")}));
    left->addStretch();
    columns->addLayout(left);
    columns->addWidget(group(tr("InfluxDB"),
                             {QStringLiteral("influx-url"), QStringLiteral("influx-api"),
                              QStringLiteral("influx-org"), QStringLiteral("influx-bucket"),
                              QStringLiteral("influx-db"), QStringLiteral("influx-token"),
                              QStringLiteral("influx-user"), QStringLiteral("influx-password")},
                             m_influxWriting));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(note);
    layout->addLayout(columns);
    layout->addWidget(buttons);

    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        m_initial.insert(it.key(), fieldText(it.key()));
    }
}

QWidget *SettingsDialog::group(const QString &title, const QStringList &options, QWidget *extra)
{
    auto *box = new QGroupBox(title);
    auto *form = new QFormLayout(box);
    if (extra) {
        form->addRow(extra);
    }
    for (const QString &option : options) {
        QWidget *field = makeField(option, box);
        const FieldInfo *fi = info(option);
        form->addRow(fi ? tr(fi->label) : option, field);
    }
    return box;
}

QWidget *SettingsDialog::makeField(const QString &option, QWidget *parent)
{
    const QString value = m_settings.effective(option);
    const FieldInfo *fi = info(option);
    QWidget *widget = nullptr;
    QWidget *editor = nullptr;
    if (option == QLatin1String("influx-api")) {
        auto *box = new QComboBox(parent);
        box->addItem(tr("v1 (/write)"), QStringLiteral("v1"));
        box->addItem(tr("v2 (/api/v2/write)"), QStringLiteral("v2"));
        box->setCurrentIndex(value == QLatin1String("v2") ? 1 : 0);
        widget = editor = box;
    } else if (option == QLatin1String("carbon-intensity") || option == QLatin1String("pue") ||
               option == QLatin1String("max-gap-s")) {
        auto *spin = new QDoubleSpinBox(parent);
        if (option == QLatin1String("carbon-intensity")) {
            spin->setRange(0, 5);
            spin->setDecimals(3);
            spin->setSingleStep(0.01);
            spin->setSuffix(tr(" kg CO₂e/kWh"));
        } else if (option == QLatin1String("pue")) {
            spin->setRange(1, 5);
            spin->setDecimals(2);
            spin->setSingleStep(0.05);
        } else {
            spin->setRange(0.5, 3600);
            spin->setDecimals(1);
            spin->setSuffix(tr(" s"));
        }
        spin->setValue(value.toDouble());
        widget = editor = spin;
    } else {
        auto *line = new QLineEdit(value, parent);
        if (GuiSettings::isSecret(option)) {
            line->setEchoMode(QLineEdit::Password);
        }
        if (fi && *fi->hint) {
            line->setPlaceholderText(tr(fi->hint));
        }
        line->setMinimumWidth(260);
        editor = line;
        widget = line;
        if (option == QLatin1String("ca-file")) {
            auto *row = new QWidget(parent);
            auto *h = new QHBoxLayout(row);
            h->setContentsMargins(0, 0, 0, 0);
            auto *browse = new QPushButton(tr("Browse…"), row);
            connect(browse, &QPushButton::clicked, this, [this, line] {
                const QString file =
                    QFileDialog::getOpenFileName(this, tr("CA certificate"), line->text(),
                                                 tr("PEM files (*.pem *.crt);;All (*)"));
                if (!file.isEmpty()) {
                    line->setText(file);
                }
            });
            line->setParent(row);
            h->addWidget(line);
            h->addWidget(browse);
            widget = row;
        }
    }
    editor->setObjectName(option);
    m_fields.insert(option, editor);
    const QString source = m_settings.source(option);
    if (m_settings.overridden(option)) {
        widget->setEnabled(false);
        widget->setToolTip(
            tr("Set by the %1 (--%2), which wins over these settings").arg(source, option));
    } else {
        widget->setToolTip(tr("Now from: %1").arg(source));
    }
    return widget;
}

void SettingsDialog::setFieldText(const QString &option, const QString &text)
{
    QWidget *w = m_fields.value(option);
    if (auto *line = qobject_cast<QLineEdit *>(w)) {
        line->setText(text);
    } else if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
        spin->setValue(text.toDouble());
    } else if (auto *box = qobject_cast<QComboBox *>(w)) {
        box->setCurrentIndex(qMax(0, box->findData(text)));
    }
}

QString SettingsDialog::fieldText(const QString &option) const
{
    QWidget *w = m_fields.value(option);
    if (auto *line = qobject_cast<QLineEdit *>(w)) {
        return line->text().trimmed();
    }
    if (auto *spin = qobject_cast<QDoubleSpinBox *>(w)) {
        return QString::number(spin->value(), 'g', 10);
    }
    if (auto *box = qobject_cast<QComboBox *>(w)) {
        return box->currentData().toString();
    }
    return {};
}

bool SettingsDialog::save()
{
    bool changed = false;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        const QString text = fieldText(it.key());
        if (m_settings.overridden(it.key()) || text == m_initial.value(it.key())) {
            continue;
        }
        m_settings.setStored(it.key(), text);
        changed = true;
    }
    if (m_influxWriting->isChecked() != m_initialWriting) {
        m_settings.setInfluxWritingEnabled(m_influxWriting->isChecked());
        changed = true;
    }
    m_settings.sync();
    return changed;
}

} // namespace greenpulse::app
