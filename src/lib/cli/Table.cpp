#include "cli/Table.h"

#include <cstdio>

#include "cli/Command.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::cli {

ParamHelp outputFormatParam() {
    return {"output-format",
            "text (an aligned table) or json (an array of objects with stable keys)", "text",
            false};
}

OutputFormat parseOutputFormat(const std::string& text) {
    if (text.empty() || text == "text") {
        return OutputFormat::Text;
    }
    if (text == "json") {
        return OutputFormat::Json;
    }
    throw Error("output-format must be text or json, not '" + text + "'");
}

std::string jsonEscape(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x",
                                  static_cast<unsigned>(static_cast<unsigned char>(c)));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

Table::Table(std::vector<Column> columns, bool keyed)
    : columns_(std::move(columns)), keyed_(keyed) {}

void Table::addRow(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    rows_.push_back(std::move(cells));
}

void Table::render(std::ostream& out, OutputFormat format) const {
    if (format == OutputFormat::Json) {
        renderJson(out);
    } else {
        renderText(out);
    }
}

void Table::renderText(std::ostream& out) const {
    std::vector<std::size_t> widths(columns_.size());
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        widths[c] = columns_[c].header.size();
    }
    for (const auto& row : rows_) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            widths[c] = std::max(widths[c], row[c].size() + (c == 0 && keyed_ ? 1 : 0));
        }
    }
    std::string line;
    auto emit = [&](const std::vector<std::string>& cells, bool header) {
        line.clear();
        for (std::size_t c = 0; c < cells.size(); ++c) {
            std::string cell = header ? toUpper(cells[c]) : cells[c];
            if (c == 0 && keyed_ && !header) {
                cell += ':';
            }
            line += cell;
            if (c + 1 < cells.size()) {
                line.append(widths[c] - cell.size() + 1, ' ');
            }
        }
        while (!line.empty() && line.back() == ' ') {
            line.pop_back();
        }
        line += '\n';
        out << line;
    };
    std::vector<std::string> headers;
    headers.reserve(columns_.size());
    for (const auto& col : columns_) {
        headers.push_back(col.header);
    }
    emit(headers, true);
    for (const auto& row : rows_) {
        emit(row, false);
    }
}

void Table::renderJson(std::ostream& out) const {
    std::vector<std::string> keys;
    keys.reserve(columns_.size());
    for (const auto& col : columns_) {
        std::string key = toLower(col.header);
        for (char& ch : key) {
            if (ch == ' ' || ch == '-') {
                ch = '_';
            }
        }
        keys.push_back("\"" + jsonEscape(key) + "\":");
    }
    out << '[';
    for (std::size_t r = 0; r < rows_.size(); ++r) {
        out << (r == 0 ? "\n  {" : ",\n  {");
        for (std::size_t c = 0; c < columns_.size(); ++c) {
            if (c != 0) {
                out << ", ";
            }
            out << keys[c];
            const std::string& cell = rows_[r][c];
            if (columns_[c].kind == Kind::Number) {
                bool numeric =
                    !cell.empty() && cell.find_first_not_of("0123456789.-") == std::string::npos;
                out << (numeric ? cell : std::string("null"));
            } else {
                out << '"' << jsonEscape(cell) << '"';
            }
        }
        out << '}';
    }
    out << (rows_.empty() ? "]\n" : "\n]\n");
}

}  // namespace vcluster::cli
