#include "materialise/Xml.h"

#include "util/Error.h"

namespace vcluster::materialise {

namespace {
const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
}  // namespace

XmlDocument::XmlDocument(const char* rootName) : doc_(xmlNewDoc(x("1.0"))) {
    if (doc_ == nullptr) {
        throw Error("out of memory building XML");
    }
    root_ = xmlNewDocNode(doc_, nullptr, x(rootName), nullptr);
    xmlDocSetRootElement(doc_, root_);
}

XmlDocument::~XmlDocument() { xmlFreeDoc(doc_); }

xmlNodePtr XmlDocument::child(xmlNodePtr parent, const char* name, const std::string& text) {
    return xmlNewTextChild(parent, nullptr, x(name), text.empty() ? nullptr : x(text.c_str()));
}

void XmlDocument::attr(xmlNodePtr node, const char* name, const std::string& value) {
    xmlNewProp(node, x(name), x(value.c_str()));
}

std::string XmlDocument::str(bool declaration) const {
    std::string out;
    if (declaration) {
        xmlChar* mem = nullptr;
        int size = 0;
        xmlDocDumpFormatMemoryEnc(doc_, &mem, &size, "UTF-8", 1);
        out.assign(reinterpret_cast<const char*>(mem), static_cast<std::size_t>(size));
        xmlFree(mem);
        return out;
    }
    xmlBufferPtr buf = xmlBufferCreate();
    xmlNodeDump(buf, doc_, root_, 0, 1);
    out.assign(reinterpret_cast<const char*>(xmlBufferContent(buf)),
               static_cast<std::size_t>(xmlBufferLength(buf)));
    xmlBufferFree(buf);
    return out + "\n";
}

}  // namespace vcluster::materialise
