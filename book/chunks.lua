-- book/chunks.lua: pandoc Lua filter for the HTML book (pandoc 2.17).
--
-- tools/nw2pandoc leaves placeholders in the prose: \nwchunk{ID} (a code chunk
-- or an index, a block) and \texttt{NWQID} (quoted [[code]], inline).  Their
-- HTML is in build/book/fragments.html, each between <!--nwfrag ID--> and <!--nwend-->.
-- This filter
--   1. turns each placeholder into the marker <!--nwfrag ID-->, which
--      tools/nwsplice replaces with the fragment after pandoc (so that
--      pandoc's --self-contained pass does not parse megabytes of code);
--   2. numbers chapters, sections and subsections (letters after \appendix),
--      figures and tables (per chapter), the way LaTeX's book class does;
--   3. resolves \ref{label} to a link carrying that number, and lists every
--      label that does not exist (then fails);
--   4. marks claim anchors (\claim{ID}{...}) with the class "claim";
--   5. puts each chapter's findings box (build/book/findings.tex, written by
--      tools/claims --findings) under the chapter's title;
--   6. links every claim ID in the prose to its row of the claims appendix,
--      every test name to the chunk that defines the test, every variant
--      (\variant{area}{name}) to the chunk that defines its area
--      (build/book/anchors.txt, written by tools/nw2pandoc); gives each image
--      the caption of its figure as alt text; wraps each table in a div that
--      scrolls sideways.

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
  Code = function(c)
    local id = c.text:match("^NWQ(q%d+)$")
    if id then
      return pandoc.RawInline("html", fragment(id))
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
--
-- Every number follows LaTeX's book class: chapters (letters after
-- \appendix), sections and subsections; figures and tables per chapter, in
-- the order of their captions.  tools/nw2pandoc turns each figure and table
-- environment with a caption into three marker paragraphs around its body:
--   \nwfloat{KIND}{LABEL}   BODY   \nwcaption   CAPTION   \nwendfloat
-- which become <figure class="KIND" id="LABEL"> with a numbered
-- <figcaption>, whatever the body is (images, a tabular, verbatim text).
-- A \label anywhere else takes the number of the last numbered thing before
-- it, as in LaTeX (in an enumerate item: the item's number).
local function is_figure(b)
  return b.t == "Para" and #b.content == 1 and b.content[1].t == "Image"
    and b.content[1].title:match("^fig:")
end

local function letter(n)
  return string.char(string.byte("A") + n - 1)
end

-- The text of a LaTeX marker standing alone as a block, or nil.
local function marker(b)
  if b.t == "RawBlock" and b.format == "latex" then
    return b.text:match("^%s*(.-)%s*$")
  end
  if b.t == "Para" and #b.content == 1 and b.content[1].t == "RawInline"
      and b.content[1].format == "latex" then
    return b.content[1].text
  end
  return nil
end

local function caption_inlines(blocks)
  local out = {}
  for _, b in ipairs(blocks) do
    if b.t == "Para" or b.t == "Plain" then
      if #out > 0 then
        table.insert(out, pandoc.Space())
      end
      for _, x in ipairs(b.content) do
        table.insert(out, x)
      end
    end
  end
  return out
end

-- Replace each marked float by a Div of class "nwfloat" holding its body
-- and, last, a Div of class "nwcaption" with the caption.
local function group_floats(blocks)
  local out = {}
  local i = 1
  while i <= #blocks do
    local b = blocks[i]
    local m = marker(b)
    local kind, label
    if m then
      kind, label = m:match("^\\nwfloat{(%a+)}{(.-)}$")
    end
    if kind then
      local body, caption = {}, {}
      local part = body
      local j = i + 1
      while j <= #blocks and marker(blocks[j]) ~= "\\nwendfloat" do
        if marker(blocks[j]) == "\\nwcaption" then
          part = caption
        else
          table.insert(part, blocks[j])
        end
        j = j + 1
      end
      if j > #blocks then
        io.stderr:write("chunks.lua: a " .. kind .. " (" .. label
          .. ") without its end marker\n")
        os.exit(1)
      end
      local d = pandoc.Div(group_floats(body), { class = "nwfloat" })
      d.attributes.kind = kind
      d.attributes.label = label
      d.content:insert(pandoc.Div({ pandoc.Plain(caption_inlines(caption)) },
        { class = "nwcaption" }))
      table.insert(out, d)
      i = j + 1
    else
      if b.t == "Div" or b.t == "BlockQuote" then
        b.content = group_floats(b.content)
      end
      table.insert(out, b)
      i = i + 1
    end
  end
  return out
end

-- build/book/findings.tex: \mmlitfindings{CHAPTER}{LATEX} for each design
-- chapter (tools/claims --findings); each body becomes a Div "findings".
local findings = {}
local pending_findings = nil
local function read_findings()
  local f = io.open("build/book/findings.tex", "r")
  if not f then
    return
  end
  local text = f:read("a")
  f:close()
  local m = io.open("book/macros.tex", "r")
  local macros = m and m:read("a") or ""
  if m then
    m:close()
  end
  for num, body in text:gmatch("\\mmlitfindings{([^}]*)}{(.-)}%%%% end\n") do
    local d = pandoc.read(macros .. "\n" .. body, "latex+raw_tex")
    findings[num] = pandoc.Div(d.blocks, { class = "findings" })
  end
end

local read_anchors
local anchors

-- The plain text of inlines, [[quoted code]] included (for alt text).
local function plain(inlines)
  return pandoc.utils.stringify(pandoc.walk_inline(pandoc.Span(inlines), {
    RawInline = function(r)
      local q = r.text:match("^<!%-%-nwfrag (q%d+)%-%->$")
      if q and anchors.quote[q] then
        return pandoc.Str(anchors.quote[q])
      end
    end,
  }))
end

local function numbering(doc)
  read_findings()
  read_anchors()
  local labels = {}
  local counters = { 0, 0, 0 }
  local appendix = false
  local chapter = "0"
  local floats = { figure = 0, table = 0 }
  local current = ""      -- LaTeX's \@currentlabel
  local names = { figure = "Figure", table = "Table" }

  local function stray_labels(inlines, value)
    for k, x in ipairs(inlines) do
      if x.t == "RawInline" and x.format == "latex" then
        local l = x.text:match("^\\label{([^}]*)}$")
        if l then
          labels[l] = value
          inlines[k] = pandoc.Span({}, { id = l })
        end
      end
    end
  end

  local visit

  local function visit_list(items, value_of)
    for k, item in ipairs(items) do
      local saved = current
      current = value_of(k)
      visit(item)
      current = saved
    end
  end

  local depth = 0
  visit = function(blocks)
    local out = {}
    for _, b in ipairs(blocks) do
      if b.t == "RawBlock" and b.format == "latex"
          and b.text:match("^\\appendix%s*$") then
        appendix = true
        counters[1] = 0
        table.insert(out, b)
      elseif b.t == "Header" then
        if b.level <= 3 and not b.classes:includes("unnumbered") then
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
            floats.figure, floats.table = 0, 0
            pending_findings = findings[appendix and "" or num]
          end
          current = num
          local content = { pandoc.Span({ pandoc.Str(num) },
            { class = "header-section-number" }), pandoc.Space() }
          for _, x in ipairs(b.content) do
            table.insert(content, x)
          end
          b.content = content
        end
        if b.identifier ~= "" then
          labels[b.identifier] = current
        end
        stray_labels(b.content, current)
        table.insert(out, b)
        if b.level == 1 and pending_findings then
          table.insert(out, pending_findings)
          pending_findings = nil
        end
      elseif b.t == "Div" and b.classes:includes("nwfloat") then
        local kind = b.attributes.kind
        local label = b.attributes.label
        floats[kind] = (floats[kind] or 0) + 1
        local num = chapter .. "." .. floats[kind]
        current = num
        if label ~= "" then
          labels[label] = num
        end
        local body = {}
        local caption
        for _, x in ipairs(b.content) do
          if x.t == "Div" and x.classes:includes("nwcaption") then
            caption = x.content[1].content
          else
            table.insert(body, x)
          end
        end
        local open = '<figure class="' .. kind .. '"'
        if label ~= "" then
          open = open .. ' id="' .. label .. '"'
        end
        table.insert(out, pandoc.RawBlock("html", open .. ">"))
        local alt = plain(caption or {})
        body = pandoc.walk_block(pandoc.Div(body), {
          Image = function(img)
            if #img.caption == 0 or pandoc.utils.stringify(img.caption) == "image" then
              img.caption = { pandoc.Str((names[kind] or kind) .. " " .. num
                .. ": " .. alt) }
            end
            return img
          end }).content
        for _, x in ipairs(visit(body)) do
          table.insert(out, x)
        end
        local cap = { pandoc.Str(names[kind] or kind), pandoc.Space(),
          pandoc.Str(num .. ":"), pandoc.Space() }
        for _, x in ipairs(caption or {}) do
          table.insert(cap, x)
        end
        stray_labels(cap, num)
        table.insert(out, pandoc.RawBlock("html", "<figcaption>"))
        table.insert(out, pandoc.Plain(cap))
        table.insert(out, pandoc.RawBlock("html", "</figcaption></figure>"))
      elseif is_figure(b) then
        floats.figure = floats.figure + 1
        local num = chapter .. "." .. floats.figure
        current = num
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
        table.insert(out, b)
      elseif b.t == "OrderedList" then
        depth = depth + 1
        local start = b.listAttributes.start or 1
        local outer = current
        visit_list(b.content, function(k)
          local n = start + k - 1
          if depth == 1 then
            return tostring(n)
          elseif depth == 2 then
            return outer .. string.char(string.byte("a") + n - 1)
          end
          return outer
        end)
        depth = depth - 1
        table.insert(out, b)
      elseif b.t == "BulletList" then
        visit_list(b.content, function() return current end)
        table.insert(out, b)
      elseif b.t == "DefinitionList" then
        for _, item in ipairs(b.content) do
          stray_labels(item[1], current)
          for _, def in ipairs(item[2]) do
            visit(def)
          end
        end
        table.insert(out, b)
      elseif b.t == "Div" or b.t == "BlockQuote" then
        b.content = visit(b.content)
        table.insert(out, b)
      else
        if b.t == "Para" or b.t == "Plain" then
          stray_labels(b.content, current)
        end
        table.insert(out, b)
      end
    end
    -- write back in place for list items (visited by reference)
    for k = #blocks, 1, -1 do
      blocks[k] = nil
    end
    for k, x in ipairs(out) do
      blocks[k] = x
    end
    return out
  end
  doc.blocks = visit(group_floats(doc.blocks))

  local undefined = {}
  local refs = {
    RawInline = function(r)
      if r.format ~= "latex" then
        return nil
      end
      local label = r.text:match("^\\ref{([^}]*)}$")
      if label then
        local num = labels[label]
        if not num then
          undefined[label] = true
          return pandoc.Strong({ pandoc.Str("??") })
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
  local missing = {}
  for l in pairs(undefined) do
    table.insert(missing, l)
  end
  if #missing > 0 then
    table.sort(missing)
    io.stderr:write("chunks.lua: \\ref to undefined label(s): "
      .. table.concat(missing, ", ") .. "\n")
    os.exit(1)
  end
  return doc
end

-- Links to claims, tests and variants.
anchors = { test = {}, variant = {}, quote = {} }
read_anchors = function()
  local f = io.open("build/book/anchors.txt", "r")
  if not f then
    return
  end
  for line in f:lines() do
    local kind, name, label = line:match("^(%a+) (%S+) (.+)$")
    if kind and anchors[kind] then
      anchors[kind][name] = label
    end
  end
  f:close()
end

local claims = {}         -- claim ID -> true, from the anchors claim-ID

-- Split a Str at every known claim ID (SF1, and both ends of SF1--SF11)
-- into Str and Link pieces; nil when there is none.
local function link_claims(text)
  local out = {}
  local pos = 1
  local found = false
  while true do
    local s, e, id = text:find("(%u%u%d+)", pos)
    if not s then
      break
    end
    local before = s > 1 and text:sub(s - 1, s - 1) or ""
    local after = text:sub(e + 1, e + 1)
    if claims[id] and not before:match("[%w_]") and not after:match("[%w_]") then
      if s > pos then
        table.insert(out, pandoc.Str(text:sub(pos, s - 1)))
      end
      table.insert(out, pandoc.Link({ pandoc.Str(id) }, "#row-" .. id, "",
        { class = "claimref" }))
      found = true
    else
      table.insert(out, pandoc.Str(text:sub(pos, e)))
    end
    pos = e + 1
  end
  if not found then
    return nil
  end
  if pos <= #text then
    table.insert(out, pandoc.Str(text:sub(pos)))
  end
  return out
end

local function test_link(code)
  local label = anchors.test[code.text]
  if label then
    code.classes:insert("testref")
    return pandoc.Link({ code }, "#" .. label, "", { class = "testref" })
  end
end

local function variant_link(span)
  if span.classes:includes("sans-serif") then
    local text = pandoc.utils.stringify(span)
    local area = text:match("^([%w_-]+)/[%w_-]+$")
    if area and anchors.variant[area] then
      return pandoc.Link(span.content, "#" .. anchors.variant[area], "",
        { class = "variant" })
    elseif area then
      span.classes = { "variant" }
      return span
    end
  end
end

-- A link inside a link or a header is unwrapped: claim IDs are found in
-- every Str first (the filter runs bottom-up), then undone where they sit in
-- a link already (the appendix's own links, \claimref) or in a heading.
local function unlink(inlines)
  return pandoc.walk_inline(pandoc.Span(inlines), {
    Link = function(l)
      if l.classes:includes("claimref") or l.classes:includes("testref") then
        return l.content
      end
    end,
  }).content
end

local function linking(doc)
  for _, b in ipairs(doc.blocks) do
    pandoc.walk_block(b, {
      Span = function(s)
        local id = s.identifier:match("^claim%-(%u%u%d+)$")
        if id then
          claims[id] = true
        end
      end,
    })
  end
  local filter = {
    Str = function(s)
      return link_claims(s.text)
    end,
    Code = test_link,
    Link = function(l)
      if not l.classes:includes("claimref") and not l.classes:includes("testref") then
        l.content = unlink(l.content)
      end
      return l
    end,
    Span = function(s)
      local id = s.identifier:match("^claim%-(%u%u%d+)$")
      if id then -- "Claim FX1." links to the appendix row
        return pandoc.Span({ pandoc.Link(unlink(s.content), "#row-" .. id, "",
          { class = "claimref", title = "Its tests and last result" }) },
          s.attr)
      end
      return variant_link(s)
    end,
    Header = function(h)
      h.content = unlink(h.content)
      return h
    end,
    Table = function(t)
      return { pandoc.RawBlock("html", '<div class="tablescroll">'), t,
        pandoc.RawBlock("html", "</div>") }
    end,
  }
  local blocks = {}
  for _, b in ipairs(doc.blocks) do
    local r = pandoc.walk_block(b, filter)
    if r.t == "Table" then
      for _, x in ipairs(filter.Table(r)) do
        table.insert(blocks, x)
      end
    else
      table.insert(blocks, r)
    end
  end
  doc.blocks = blocks
  return doc
end

return {
  placeholders,
  { Pandoc = numbering },
  { Pandoc = linking },
}
