-- book/chunks.lua: pandoc Lua filter for the HTML book (pandoc 2.17).
--
-- tools/nw2pandoc leaves placeholders in the prose: \nwchunk{ID} (a code chunk
-- or an index, a block) and \nwq{ID} (quoted [[code]], inline).  Their HTML is
-- in build/book/fragments.html, each between <!--nwfrag ID--> and <!--nwend-->.
-- This filter
--   1. turns each placeholder into the marker <!--nwfrag ID-->, which
--      tools/nwsplice replaces with the fragment after pandoc (so that
--      pandoc's --self-contained pass does not parse megabytes of code);
--   2. numbers chapters, sections and subsections (letters after \appendix),
--      figures and tables (per chapter), the way LaTeX's book class does;
--   3. resolves \ref{label} to a link carrying that number, and lists every
--      label that does not exist (then fails);
--   4. marks claim anchors (\claim{ID}{...}) with the class "claim".

local function fragment(id)
  return "<!--nwfrag " .. id .. "-->"
end

local function chunk_id(text)
  return text:match("^\\nwchunk{([^}]*)}%s*$")
end

local placeholders = {
  RawBlock = function(b)
    if b.format == "latex" then
      local id = chunk_id(b.text)
      if id then
        return pandoc.RawBlock("html", fragment(id))
      end
    end
  end,
  Para = function(p)
    if #p.content == 1 and p.content[1].t == "RawInline"
        and p.content[1].format == "latex" then
      local id = chunk_id(p.content[1].text)
      if id then
        return pandoc.RawBlock("html", fragment(id))
      end
    end
  end,
  RawInline = function(r)
    if r.format == "latex" then
      local id = r.text:match("^\\nwq{([^}]*)}$")
      if id then
        return pandoc.RawInline("html", fragment(id))
      end
    end
  end,
  Span = function(s)
    if s.identifier:match("^claim%-") then
      s.classes:insert("claim")
      return s
    end
  end,
}

-- Numbering and \ref.
local function is_figure(b)
  return b.t == "Para" and #b.content == 1 and b.content[1].t == "Image"
    and b.content[1].title:match("^fig:")
end

local function letter(n)
  return string.char(string.byte("A") + n - 1)
end

local function numbering(doc)
  local labels = {}
  local counters = { 0, 0, 0 }
  local appendix = false
  local chapter = "0"
  local figure = 0

  local function visit(blocks)
    for _, b in ipairs(blocks) do
      if b.t == "RawBlock" and b.format == "latex"
          and b.text:match("^\\appendix%s*$") then
        appendix = true
        counters[1] = 0
      elseif b.t == "Header" and b.level <= 3
          and not b.classes:includes("unnumbered") then
        counters[b.level] = counters[b.level] + 1
        for l = b.level + 1, 3 do
          counters[l] = 0
        end
        local parts = {}
        for l = 1, b.level do
          local n = counters[l]
          if l == 1 then
            parts[l] = appendix and letter(n) or tostring(n)
          else
            parts[l] = tostring(n)
          end
        end
        local num = table.concat(parts, ".")
        if b.level == 1 then
          chapter = num
          figure = 0
        end
        if b.identifier ~= "" then
          labels[b.identifier] = num
        end
        local content = { pandoc.Span({ pandoc.Str(num) },
          { class = "header-section-number" }), pandoc.Space() }
        for _, x in ipairs(b.content) do
          table.insert(content, x)
        end
        b.content = content
      elseif is_figure(b) then
        figure = figure + 1
        local num = chapter .. "." .. figure
        local img = b.content[1]
        if img.identifier ~= "" then
          labels[img.identifier] = num
        end
        local caption = { pandoc.Str("Figure"), pandoc.Space(),
          pandoc.Str(num .. ":"), pandoc.Space() }
        for _, x in ipairs(img.caption) do
          table.insert(caption, x)
        end
        img.caption = caption
      elseif b.t == "Div" then
        visit(b.content)
      end
    end
  end
  visit(doc.blocks)

  local refs = {
    RawInline = function(r)
      if r.format ~= "latex" then
        return nil
      end
      local label = r.text:match("^\\ref{([^}]*)}$")
      if label then
        local num = labels[label]
        if not num then
          io.stderr:write("chunks.lua: warning: undefined reference " .. label .. "\n")
          return pandoc.Str("??")
        end
        return pandoc.Link({ pandoc.Str(num) }, "#" .. label)
      end
      local id = chunk_id(r.text)
      if id then -- a chunk placeholder that did not get a paragraph of its own
        return pandoc.RawInline("html", fragment(id))
      end
      if r.text:match("^\\pageref{") then
        return {}
      end
    end,
  }
  local blocks = {}
  for _, b in ipairs(doc.blocks) do
    table.insert(blocks, pandoc.walk_block(b, refs))
  end
  doc.blocks = blocks
  return doc
end

return {
  placeholders,
  { Pandoc = numbering },
}
