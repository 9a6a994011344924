-- fabula: standard manuscript format for the submission DOCX.
-- A scene break is a centred "#" (an agent's reader cannot miss it, unlike a blank line or a
-- rule), and every chapter heading takes the "Chapter Title" style whose paragraph starts a
-- new page in our reference DOCX.

function HorizontalRule()
  return pandoc.Div({ pandoc.Para({ pandoc.Str("#") }) }, { ["custom-style"] = "Scene Break" })
end
