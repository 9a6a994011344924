-- fabula: standard manuscript format for the submission DOCX.
-- A scene break is a centred "#" (an agent's reader cannot miss it, unlike a blank line or a
-- rule), and every chapter heading takes the "Chapter Title" style whose paragraph starts a
-- new page in our reference DOCX.
--
-- The cover page is a section of its own (fabula's cover ends with a Div of class
-- "fabula-cover-end"): it has no running head, and the text's section, whose properties
-- pandoc takes from the reference DOCX, numbers its pages from 1, so chapter one starts on
-- page 1 as agents expect. The cover's section has US letter with 1" margins, as the text's.

local COVER_SECTION = table.concat({
  "<w:p><w:pPr><w:sectPr>",
  '<w:pgSz w:w="12240" w:h="15840"/>',
  '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>',
  "</w:sectPr></w:pPr></w:p>",
})

local function horizontal_rule()
  return pandoc.Div({ pandoc.Para({ pandoc.Str("#") }) }, { ["custom-style"] = "Scene Break" })
end

-- The cover's right-aligned tab (the word count on the name's line): an empty Span of class
-- "fabula-tab". Raw OpenXML is off in fabula's Markdown (text is text), so the filter writes it.
local function span(element)
  if element.classes:includes("fabula-tab") and #element.content == 0 then
    return pandoc.RawInline("openxml", "<w:r><w:tab/></w:r>")
  end
end

local function div(element)
  if element.classes:includes("fabula-cover-end") then
    return pandoc.RawBlock("openxml", COVER_SECTION)
  end
end

-- Two filters: the scene breaks, and the cover's tab and section end. The second looks at every
-- inline of a document (a Span may be anywhere), which costs as much as pandoc's own DOCX writer
-- does for a short chapter; its classes reach the AST only from Markdown that names them, or
-- spells them with a backslash escape or a character reference ("fabula&#45;tab"), so
-- filters/chapters.lua runs it only over a chapter holding one of `fabula_when` (the frame's
-- pandoc run, with the cover, always runs it).
return {
  { HorizontalRule = horizontal_rule },
  { Span = span, Div = div, fabula_when = { "fabula-tab", "fabula-cover-end", "\\", "&#" } },
}
