/* Sleutelmonitor app for key persons: plain JavaScript, no build step.
   Screens switch by URL hash; contacts go through an IndexedDB queue (offline first) and are sent to
   /v1/contactmomenten (contacts with professionals to /v1/professionele-contacten) with an externId made
   here, so a retry never stores a contact twice.
   Texts come from the server's gettext catalogue (the JSON block #teksten); `_` marks them for Babel. */
(function () {
  'use strict';
  var TEKSTEN = JSON.parse(document.getElementById('teksten').textContent || '{}');
  function _(tekst, waarden) {
    var uit = TEKSTEN[tekst] || tekst;
    Object.keys(waarden || {}).forEach(function (k) { uit = uit.split('{' + k + '}').join(String(waarden[k])); });
    return uit;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, kinderen) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'tekst') e.textContent = attrs[k];
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), attrs[k]);
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (kinderen || []).forEach(function (k) { if (k) e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k); });
    return e;
  }
  function vandaag() {
    var d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset());
    return d.toISOString().slice(0, 10);
  }
  function datumTekst(iso) {
    try { return new Date(iso + 'T12:00:00').toLocaleDateString(document.documentElement.lang, {day: 'numeric', month: 'long', year: 'numeric'}); }
    catch (e) { return iso; }
  }
  function normaal(s) { return String(s || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''); }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16)); b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // --- the API -----------------------------------------------------------------------------
  function api(pad, methode, body) {
    var opties = {method: methode || 'GET', credentials: 'same-origin', headers: {'X-Sleutelmonitor-App': '1', 'Accept': 'application/json'}};
    if (body !== undefined) { opties.headers['Content-Type'] = 'application/json'; opties.body = JSON.stringify(body); }
    return fetch(pad, opties).then(function (antwoord) {
      var json = (antwoord.headers.get('content-type') || '').indexOf('json') >= 0;
      return (json ? antwoord.json() : Promise.resolve(null)).then(function (data) {
        if (antwoord.status === 401) afgemeld();
        return {status: antwoord.status, ok: antwoord.ok, data: data};
      });
    });
  }
  function bewaard(sleutel, waarde) {
    if (waarde !== undefined) { try { localStorage.setItem(sleutel, JSON.stringify(waarde)); } catch (e) { /* full */ } return waarde; }
    try { return JSON.parse(localStorage.getItem(sleutel) || 'null'); } catch (e) { return null; }
  }

  // --- the queue (IndexedDB) ---------------------------------------------------------------
  var dbBelofte = null;
  function db() {
    if (!dbBelofte) {
      dbBelofte = new Promise(function (ok, nee) {
        var r = indexedDB.open('sleutelmonitor', 1);
        r.onupgradeneeded = function () { r.result.createObjectStore('wachtrij', {keyPath: 'externId'}); };
        r.onsuccess = function () { ok(r.result); };
        r.onerror = function () { nee(r.error); };
      });
    }
    return dbBelofte;
  }
  function opslag(modus, doe) {
    return db().then(function (d) {
      return new Promise(function (ok, nee) {
        var tx = d.transaction('wachtrij', modus), verzoek = doe(tx.objectStore('wachtrij'));
        tx.oncomplete = function () { ok(verzoek && verzoek.result); };
        tx.onerror = function () { nee(tx.error); };
      });
    });
  }
  var wachtrij = {
    alle: function () { return opslag('readonly', function (s) { return s.getAll(); }).then(function (r) {
      return (r || []).sort(function (a, b) { return a.aangemaakt < b.aangemaakt ? -1 : 1; }); }); },
    zet: function (item) { return opslag('readwrite', function (s) { return s.put(item); }); },
    weg: function (id) { return opslag('readwrite', function (s) { return s.delete(id); }); }
  };

  // Where a queued item goes: a contactmoment (items queued before `pad` existed too), or a contact with professionals.
  var CONTACTMOMENTEN = '/v1/contactmomenten', PROFESSIONEEL = '/v1/professionele-contacten';
  var bezig = null;
  function verstuur() {
    if (bezig) return bezig;
    bezig = wachtrij.alle().then(function (items) {
      var wachtend = items.filter(function (i) { return i.status === 'wacht'; });
      function volgende(n) {
        if (n >= wachtend.length) return null;
        var item = wachtend[n];
        return api(item.pad || CONTACTMOMENTEN, 'POST', item.body).then(function (r) {
          if (r.status === 200 || r.status === 201) {
            return wachtrij.weg(item.externId).then(function () { recent(item, 'verstuurd'); return volgende(n + 1); });
          }
          if (r.status === 400 || r.status === 404 || r.status === 409 || r.status === 403) {
            item.status = 'geweigerd';
            item.reden = (r.data && (r.data.detail || r.data.title)) || _('Geweigerd');
            item.fouten = (r.data && r.data.invalidParams) || [];
            return wachtrij.zet(item).then(function () { return volgende(n + 1); });
          }
          return null;  // signed out, too busy or down: they keep waiting
        }, function () { return null; });  // no connection: try again later
      }
      return volgende(0);
    }).catch(function () { return null; }).then(function () { bezig = null; return toonWachtrij(); });
    return bezig;
  }

  function toonWachtrij() {
    return wachtrij.alle().then(function (items) {
      var wacht = items.filter(function (i) { return i.status === 'wacht'; }).length;
      var geweigerd = items.filter(function (i) { return i.status === 'geweigerd'; });
      $('wachtrij').hidden = !items.length;
      $('wachtrij-tekst').hidden = !wacht;
      $('wachtrij-tekst').textContent = wacht === 1 ? _('1 contact wacht om verstuurd te worden.')
        : _('{n} contacten wachten om verstuurd te worden.', {n: wacht});
      $('verstuur-nu').hidden = !wacht;
      var lijst = $('geweigerd'); lijst.textContent = '';
      geweigerd.forEach(function (item) {
        lijst.appendChild(el('li', {'class': 'kaart geweigerd'}, [
          el('p', {}, [el('strong', {tekst: _('Niet opgeslagen:') + ' '}), item.samenvatting || '']),
          (item.fouten || []).length ? el('ul', {'class': 'redenen'}, item.fouten.map(function (f) { return el('li', {tekst: f.reason}); }))
            : el('p', {'class': 'reden', tekst: item.reden}),
          el('button', {type: 'button', 'class': 'knop knop-licht', onclick: function () {
            if (item.pad === PROFESSIONEEL) { location.hash = 'professionals'; bewerkProfessioneel(item); } else bewerk(item);
          }, tekst: _('Aanpassen')}),
          el('button', {type: 'button', 'class': 'knop knop-licht', onclick: function () { gooiWeg(item, this); }, tekst: _('Weggooien')})
        ]));
      });
      toonVerbinding(wacht);
    });
  }
  function gooiWeg(item, knop) {
    if (knop.dataset.zeker !== '1') { knop.dataset.zeker = '1'; knop.textContent = _('Zeker weggooien?'); return; }
    wachtrij.weg(item.externId).then(toonWachtrij);
  }
  function toonVerbinding(wacht) {
    var tekst = navigator.onLine ? '' : _('Geen internet. Wat je registreert, blijft op je telefoon tot er weer internet is.');
    if (wacht) tekst += (tekst ? ' ' : '') + (wacht === 1 ? _('1 contact wacht.') : _('{n} contacten wachten.', {n: wacht}));
    $('verbinding').textContent = tekst;
    $('verbinding').hidden = !tekst;
  }
  function recent(item, hoe) {
    var lijst = JSON.parse(sessionStorage.getItem('recent') || '[]').filter(function (r) { return r.externId !== item.externId; });
    lijst.unshift({externId: item.externId, samenvatting: item.samenvatting, hoe: hoe});
    sessionStorage.setItem('recent', JSON.stringify(lijst.slice(0, 10)));
    toonRecent();
  }
  function toonRecent() {
    var lijst = $('recent'); lijst.textContent = '';
    var items = JSON.parse(sessionStorage.getItem('recent') || '[]');
    items.forEach(function (r) {
      lijst.appendChild(el('li', {'class': 'kaart'}, [r.samenvatting + ' · ' + (r.hoe === 'verstuurd' ? _('verstuurd') : _('wacht op internet'))]));
    });
    if (!items.length) lijst.appendChild(el('li', {tekst: _('Nog niets in deze sessie.')}));
  }

  // --- profile and code lists ----------------------------------------------------------------
  var profiel = bewaard('profiel'), codes = bewaard('codes');
  function afgemeld() {
    // Signed out (revoked, expired, never signed in): nothing of the person stays beyond the unsent queue.
    profiel = null; codes = null;
    try { localStorage.removeItem('profiel'); localStorage.removeItem('codes'); } catch (e) { /* private mode */ }
    if (window.caches) caches.keys().then(function (namen) { namen.forEach(function (n) { caches.open(n).then(function (c) {
      c.delete('/app/api/profiel'); c.delete('/app/api/codelijsten'); }); }); }).catch(function () { return null; });
    document.body.dataset.afgemeld = '1';
    document.querySelectorAll('.scherm').forEach(function (s) { s.hidden = s.id !== 'scherm-afgemeld'; });
    document.querySelector('.tabs').hidden = true;
    wachtrij.alle().then(function (items) {
      var n = items.length;
      $('afgemeld-wacht').hidden = !n;
      $('afgemeld-wacht').textContent = _('{n} contacten staan nog op deze telefoon. Ze worden verstuurd als je weer bent aangemeld.', {n: n});
    });
  }
  function laadBasis() {
    return Promise.all([api('/app/api/profiel'), api('/app/api/codelijsten')]).then(function (r) {
      if (r[0].ok) profiel = bewaard('profiel', r[0].data);
      if (r[1].ok) codes = bewaard('codes', r[1].data);
      return r[0].status !== 401;
    }, function () { return true; });
  }
  function label(lijst, code) {
    var gevonden = ((codes && codes[lijst]) || []).filter(function (c) { return c.code === code; })[0];
    return gevonden ? gevonden.label : code;
  }

  // --- the contact form ----------------------------------------------------------------------
  var gekozen = [], verwijzingen = [], bewerkt = null;
  function keuze(type, naam, waarde, tekst, aan, bijWijziging) {
    var input = el('input', {type: type, name: naam, value: waarde, checked: aan || false});
    if (bijWijziging) input.addEventListener('change', bijWijziging);
    return el('label', {'class': 'chip'}, [input, el('span', {tekst: tekst})]);
  }
  function vulKeuzes() {
    var s = (profiel && profiel.standaard) || {};
    var kanalen = $('kanalen'); kanalen.textContent = '';
    (codes.kanalen || []).forEach(function (c) { kanalen.appendChild(keuze('radio', 'kanaal', c.code, c.label, c.code === s.kanaal)); });
    var acties = $('acties'); acties.textContent = '';
    (codes.acties || []).forEach(function (c) { acties.appendChild(keuze('checkbox', 'actie', c.code, c.label, false)); });
    var res = $('resultaten'); res.textContent = '';
    res.appendChild(keuze('radio', 'resultaat', '', _('Nog niet bekend'), true));
    (codes.resultaten || []).forEach(function (c) { res.appendChild(keuze('radio', 'resultaat', c.code, c.label, false)); });
    var gemeente = $('gemeente'); gemeente.textContent = '';
    (codes.gemeenten || []).forEach(function (c) { gemeente.appendChild(el('option', {value: c.code, tekst: c.label + ' (' + c.code + ')'})); });
    [$('signaal-onderwerp'), $('verhaal-onderwerp')].forEach(function (select) {
      select.textContent = '';
      (codes.onderwerpen || []).forEach(function (c) { select.appendChild(el('option', {value: c.code, tekst: c.pad})); });
    });
    var effecten = $('verhaal-effecten'); effecten.textContent = '';
    (codes.effecten || []).forEach(function (c) { effecten.appendChild(keuze('checkbox', 'effect', c.code, c.label, false)); });
    vulProfessioneel();
    var soorten = $('uren-soorten'); soorten.textContent = '';
    soorten.parentNode.hidden = !(codes.inzetSoorten || []).length;
    (codes.inzetSoorten || []).forEach(function (c, i) { soorten.appendChild(keuze('radio', 'urenSoort', c.code, c.label, i === 0)); });
  }
  function leegFormulier() {
    var s = (profiel && profiel.standaard) || {};
    $('contact').reset();
    $('datum').value = vandaag(); $('datum').max = vandaag();
    $('gemeente').value = s.gemeentecode || ($('gemeente').options[0] || {}).value || '';
    $('wijk').value = s.wijkcode || '';
    document.querySelectorAll('input[name=kanaal]').forEach(function (i) { i.checked = i.value === s.kanaal; });
    gekozen = []; verwijzingen = []; bewerkt = null;
    $('annuleer-wijziging').hidden = true;
    $('zoek-onderwerp').value = ''; $('zoek-partner').value = '';
    $('veld-aantal').hidden = true; $('veld-referentie').hidden = false;
    wisFouten();
    toonOnderwerpen(); toonPartners(); toonVerwijzingen();
  }
  function zoekt(item, vraag) {
    if (!vraag) return false;
    return (item.zoek || []).concat([item.label, item.code, item.pad]).some(function (w) { return normaal(w).indexOf(vraag) >= 0; });
  }
  function toonOnderwerpen() {
    var vraag = normaal($('zoek-onderwerp').value.trim()), alle = codes.onderwerpen || [];
    var vaak = (profiel && profiel.meestGebruikt && profiel.meestGebruikt.onderwerpen) || [];
    var lijst;
    if (vraag.length >= 2) lijst = alle.filter(function (c) { return zoekt(c, vraag); }).slice(0, 12);
    else lijst = vaak.map(function (code) { return alle.filter(function (c) { return c.code === code; })[0]; }).filter(Boolean)
      .concat(alle.filter(function (c) { return c.ouder; })).filter(function (c, i, a) { return a.indexOf(c) === i; }).slice(0, 8);
    gekozen.forEach(function (code) {
      if (!lijst.some(function (c) { return c.code === code; })) lijst.unshift(alle.filter(function (c) { return c.code === code; })[0] || {code: code, label: code});
    });
    var vak = $('onderwerpen'); vak.textContent = '';
    lijst.forEach(function (c) {
      vak.appendChild(keuze('checkbox', 'onderwerp', c.code, c.pad || c.label, gekozen.indexOf(c.code) >= 0, function () {
        if (this.checked) gekozen.push(c.code); else gekozen = gekozen.filter(function (x) { return x !== c.code; });
        toonVerwijzingen();
      }));
    });
    if (!lijst.length) vak.appendChild(el('p', {'class': 'hint', tekst: _('Niets gevonden. Probeer een ander woord.')}));
  }
  function partner(id) { return (codes.ketenpartners || []).filter(function (p) { return p.id === id; })[0]; }
  function toonPartners() {
    var vraag = normaal($('zoek-partner').value.trim()), alle = codes.ketenpartners || [];
    var gebruikt = verwijzingen.map(function (v) { return v.ketenpartnerId; });
    var vast = ((profiel && profiel.meestGebruikt && profiel.meestGebruikt.ketenpartners) || []).map(partner).filter(Boolean);
    function knop(p) {
      return el('button', {type: 'button', 'class': 'chip knop-chip', onclick: function () { voegVerwijzingToe(p); }},
        ['+ ', p.naam]);
    }
    var vastVak = $('vaste-partners'); vastVak.textContent = '';
    vast.filter(function (p) { return gebruikt.indexOf(p.id) < 0; }).slice(0, 3).forEach(function (p) { vastVak.appendChild(knop(p)); });
    var vak = $('partners'); vak.textContent = '';
    if (vraag.length >= 2) {
      var lijst = alle.filter(function (p) { return gebruikt.indexOf(p.id) < 0 && (normaal(p.naam).indexOf(vraag) >= 0 || normaal(p.categorie).indexOf(vraag) >= 0); }).slice(0, 8);
      lijst.forEach(function (p) { vak.appendChild(knop(p)); });
      if (!lijst.length) vak.appendChild(el('p', {'class': 'hint', tekst: _('Niets gevonden. Probeer een ander woord.')}));
    }
  }
  function voegVerwijzingToe(p) {
    verwijzingen.push({ketenpartnerId: p.id, wijze: (profiel && profiel.standaard && profiel.standaard.wijze) || 'informatief', onderwerp: ''});
    $('zoek-partner').value = '';
    toonVerwijzingen(); toonPartners();
    var laatste = $('verwijzingen').lastElementChild;
    if (laatste) laatste.querySelector('button').focus();
  }
  function toonVerwijzingen() {
    var lijst = $('verwijzingen'); lijst.textContent = '';
    verwijzingen.forEach(function (v, n) {
      var p = partner(v.ketenpartnerId) || {naam: v.ketenpartnerId};
      var wijze = el('select', {id: 'wijze-' + n, onchange: function () { v.wijze = this.value; }},
        (codes.wijzen || []).map(function (c) { return el('option', {value: c.code, selected: c.code === v.wijze, tekst: c.label}); }));
      var onderwerp = el('select', {id: 'vo-' + n, onchange: function () { v.onderwerp = this.value; }},
        [el('option', {value: '', tekst: _('Eerste onderwerp')})].concat(gekozen.map(function (code) {
          return el('option', {value: code, selected: code === v.onderwerp, tekst: label('onderwerpen', code)}); })));
      lijst.appendChild(el('li', {'class': 'kaart verwijzing'}, [
        el('strong', {tekst: p.naam}),
        el('div', {'class': 'rij'}, [
          el('div', {'class': 'veld'}, [el('label', {'for': 'wijze-' + n, tekst: _('Hoe verwezen')}), wijze]),
          el('div', {'class': 'veld'}, [el('label', {'for': 'vo-' + n, tekst: _('Over')}), onderwerp])]),
        el('button', {type: 'button', 'class': 'knop knop-licht', onclick: function () {
          verwijzingen.splice(n, 1); toonVerwijzingen(); toonPartners(); $('zoek-partner').focus(); },
          'aria-label': _('{naam} weghalen', {naam: p.naam}), tekst: _('Weghalen')})
      ]));
    });
  }
  function waarde(naam) { var i = document.querySelector('input[name=' + naam + ']:checked'); return i ? i.value : ''; }
  function alleWaarden(naam) { return Array.prototype.map.call(document.querySelectorAll('input[name=' + naam + ']:checked'), function (i) { return i.value; }); }
  function contactUitFormulier(externId) {
    var groep = waarde('soort') === 'groep', body = {
      externId: externId, sleutelpersoonId: profiel && profiel.sleutelpersoonId, datum: $('datum').value,
      gemeentecode: $('gemeente').value, wijkcode: $('wijk').value.trim().toUpperCase() || null, kanaal: waarde('kanaal'),
      soort: groep ? 'groep' : 'individueel', onderwerpen: gekozen.slice(), acties: alleWaarden('actie'),
      doorverwijzingen: verwijzingen.map(function (v) {
        return {ketenpartnerId: v.ketenpartnerId, wijze: v.wijze, onderwerp: v.onderwerp || gekozen[0] || null}; })
    };
    if (groep) body.aantalDeelnemers = parseInt($('aantal').value, 10) || null;
    if ($('duur').value) body.duurMinuten = parseInt($('duur').value, 10);
    if (!groep && $('referentie').value.trim()) body.inwonerReferentie = $('referentie').value.trim();
    if (waarde('resultaat')) body.uitkomst = {resultaat: waarde('resultaat')};
    return body;
  }
  function samenvatting(body) {
    return datumTekst(body.datum) + ' · ' + body.onderwerpen.map(function (c) { return label('onderwerpen', c); }).join(', ');
  }
  function snelleControle(body) {
    var fouten = [];
    if (!body.datum) fouten.push({name: 'datum', reason: _('Kies een datum.')});
    else if (body.datum > vandaag()) fouten.push({name: 'datum', reason: _('De datum mag niet in de toekomst liggen.')});
    if (!body.kanaal) fouten.push({name: 'kanaal', reason: _('Kies hoe je contact had.')});
    if (!body.gemeentecode) fouten.push({name: 'gemeentecode', reason: _('Kies een gemeente.')});
    if (!body.onderwerpen.length) fouten.push({name: 'onderwerpen', reason: _('Kies minstens één onderwerp.')});
    if (body.soort === 'groep' && !(body.aantalDeelnemers >= 2)) fouten.push({name: 'aantalDeelnemers', reason: _('Vul in hoeveel mensen er waren (2 of meer).')});
    if (body.wijkcode && !/^WK\d{4}[0-9A-Z]{2}$/.test(body.wijkcode)) fouten.push({name: 'wijkcode', reason: _('Een wijkcode is WK met 6 tekens, bijvoorbeeld WK034401.')});
    return fouten;
  }
  var VELDEN = {datum: 'datum', duurMinuten: 'duur', soort: 'veld-soort', aantalDeelnemers: 'aantal', kanaal: 'veld-kanaal',
    gemeentecode: 'gemeente', wijkcode: 'wijk', onderwerpen: 'veld-onderwerpen', acties: 'veld-acties',
    doorverwijzingen: 'veld-doorverwijzingen', uitkomst: 'veld-uitkomst', inwonerReferentie: 'referentie', inwoner: 'referentie'};
  function wisFouten(vorm) {
    var form = vorm || $('contact');
    form.querySelectorAll('.veldfout').forEach(function (p) { p.hidden = true; p.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    form.querySelectorAll('.foutmelding').forEach(function (d) { d.hidden = true; d.textContent = ''; });
  }
  // Show the API's (or our own) invalidParams next to the fields; returns the first field with an error.
  function toonFouten(fouten, voorvoegsel, velden, algemeen, detail) {
    var eerste = null, rest = [];
    fouten.forEach(function (f) {
      var basis = String(f.name || '').split(/[.[]/)[0], p = $('fout-' + voorvoegsel + basis), doel = $(velden[basis] || '');
      if (!p || !doel) { rest.push(f.reason); return; }
      p.hidden = false; p.textContent = (p.textContent ? p.textContent + ' ' : '') + f.reason;
      doel.setAttribute('aria-invalid', 'true');
      doel.setAttribute('aria-describedby', p.id);
      eerste = eerste || doel;
    });
    if (rest.length || (!eerste && detail)) {
      var vak = $(algemeen); vak.hidden = false;
      vak.textContent = rest.length ? rest.join(' ') : detail;
      eerste = eerste || vak;
    }
    if (eerste) {
      var focus = eerste.matches('fieldset') ? eerste.querySelector('input, select, button') : eerste;
      if (eerste.id === algemeen) { eerste.setAttribute('tabindex', '-1'); }
      (focus || eerste).focus();
    }
    return eerste;
  }
  function opslaan(e) {
    e.preventDefault();
    wisFouten();
    var externId = bewerkt || uuid(), body = contactUitFormulier(externId);
    var fouten = snelleControle(body);
    if (fouten.length) { toonFouten(fouten, '', VELDEN, 'fout-algemeen'); return; }
    var item = {externId: externId, body: body, status: 'wacht', aangemaakt: new Date().toISOString(), samenvatting: samenvatting(body)};
    // The form is empty at once, ready for the next contact; the queue write takes a moment.
    leegFormulier();
    var melding = $('opgeslagen');
    melding.hidden = false;
    melding.textContent = navigator.onLine ? _('Opgeslagen. Het contact wordt verstuurd.') : _('Bewaard op je telefoon. Het wordt verstuurd als er weer internet is.');
    wachtrij.zet(item).then(function () {
      return toonWachtrij().then(verstuur);
    }).then(function () {
      return wachtrij.alle().then(function (items) {
        var nog = items.filter(function (i) { return i.externId === externId; })[0];
        if (!nog) $('opgeslagen').textContent = _('Opgeslagen en verstuurd.');
        else if (nog.status === 'wacht') recent(nog, 'wacht');
        else {
          $('opgeslagen').textContent = _('Niet opgeslagen. Kijk wat er mis is.');
          // Refused right away: back in the form with the reasons beside the fields, unless a next contact was begun.
          if (!gekozen.length && !verwijzingen.length && !bewerkt) bewerk(nog);
        }
      });
    });
  }
  function bewerk(item) {
    leegFormulier();
    var b = item.body;
    bewerkt = item.externId;
    $('annuleer-wijziging').hidden = false;
    $('datum').value = b.datum; $('gemeente').value = b.gemeentecode; $('wijk').value = b.wijkcode || '';
    document.querySelectorAll('input[name=soort]').forEach(function (i) { i.checked = i.value === b.soort; });
    $('veld-aantal').hidden = b.soort !== 'groep'; $('aantal').value = b.aantalDeelnemers || '';
    $('veld-referentie').hidden = b.soort === 'groep';
    document.querySelectorAll('input[name=kanaal]').forEach(function (i) { i.checked = i.value === b.kanaal; });
    document.querySelectorAll('input[name=actie]').forEach(function (i) { i.checked = b.acties.indexOf(i.value) >= 0; });
    document.querySelectorAll('input[name=resultaat]').forEach(function (i) { i.checked = i.value === ((b.uitkomst && b.uitkomst.resultaat) || ''); });
    $('duur').value = b.duurMinuten || ''; $('referentie').value = b.inwonerReferentie || '';
    gekozen = b.onderwerpen.slice();
    verwijzingen = b.doorverwijzingen.map(function (v) { return {ketenpartnerId: v.ketenpartnerId, wijze: v.wijze, onderwerp: v.onderwerp || ''}; });
    toonOnderwerpen(); toonPartners(); toonVerwijzingen();
    toonFouten(item.fouten || [], '', VELDEN, 'fout-algemeen', item.reden);
  }

  // --- contacts with professionals (advice asked, casusoverleg, voorlichting) -----------------------
  var bewerktProf = null;
  function vulProfessioneel() {
    var s = (profiel && profiel.standaardProfessioneel) || {};
    var soorten = $('prof-soorten'); soorten.textContent = '';
    (codes.professioneelSoorten || []).forEach(function (c, i) {
      soorten.appendChild(keuze('radio', 'profSoort', c.code, c.label, s.soort ? c.code === s.soort : i === 0));
    });
    var partners = $('prof-partner'); partners.textContent = '';
    (codes.ketenpartners || []).forEach(function (p) { partners.appendChild(el('option', {value: p.id, tekst: p.naam})); });
    var onderwerp = $('prof-onderwerp'); onderwerp.textContent = '';
    onderwerp.appendChild(el('option', {value: '', tekst: _('Geen onderwerp')}));
    (codes.onderwerpen || []).forEach(function (c) { onderwerp.appendChild(el('option', {value: c.code, tekst: c.pad})); });
  }
  function toonPartnerKeuze() { $('prof-veld-partner').hidden = waarde('profAanvrager') !== 'ketenpartner'; }
  function leegProfessioneel() {
    // The last contact's kind and asking party again: the same wijkteam often asks more than once.
    var s = (profiel && profiel.standaardProfessioneel) || {}, heeftPartners = (codes.ketenpartners || []).length > 0;
    var aanvrager = s.aanvrager || (heeftPartners ? 'ketenpartner' : 'gemeente');
    $('prof-form').reset();
    bewerktProf = null;
    $('prof-datum').value = vandaag(); $('prof-datum').max = vandaag();
    document.querySelectorAll('input[name=profSoort]').forEach(function (i, n) { i.checked = s.soort ? i.value === s.soort : n === 0; });
    document.querySelectorAll('input[name=profAanvrager]').forEach(function (i) { i.checked = i.value === aanvrager; });
    if (s.ketenpartnerId && partner(s.ketenpartnerId)) $('prof-partner').value = s.ketenpartnerId;
    toonPartnerKeuze();
    wisFouten($('prof-form'));
  }
  function professioneelUitFormulier(externId) {
    var aanvrager = waarde('profAanvrager'), onderwerp = $('prof-onderwerp').value, body = {
      externId: externId, sleutelpersoonId: profiel && profiel.sleutelpersoonId, datum: $('prof-datum').value, soort: waarde('profSoort'),
      aangevraagdDoor: aanvrager === 'ketenpartner' ? {soort: 'ketenpartner', ketenpartnerId: $('prof-partner').value || null}
        : {soort: aanvrager, gemeentecode: gemeenteVan() || null},
      aantalProfessionals: parseInt($('prof-aantal').value, 10) || null, onderwerpen: onderwerp ? [onderwerp] : []
    };
    if ($('prof-duur').value) body.duurMinuten = parseInt($('prof-duur').value, 10);
    return body;
  }
  function controleerProfessioneel(body) {
    var fouten = [];
    if (!body.datum) fouten.push({name: 'datum', reason: _('Kies een datum.')});
    else if (body.datum > vandaag()) fouten.push({name: 'datum', reason: _('De datum mag niet in de toekomst liggen.')});
    if (!body.soort) fouten.push({name: 'soort', reason: _('Kies wat voor contact het was.')});
    if (body.aangevraagdDoor.soort === 'ketenpartner' && !body.aangevraagdDoor.ketenpartnerId) fouten.push({name: 'aangevraagdDoor', reason: _('Kies de organisatie die erom vroeg.')});
    if (!(body.aantalProfessionals >= 1)) fouten.push({name: 'aantalProfessionals', reason: _('Vul in hoeveel professionals er waren (1 of meer).')});
    return fouten;
  }
  var PROF_VELDEN = {datum: 'prof-datum', soort: 'prof-veld-soort', aangevraagdDoor: 'prof-veld-aanvrager',
    aantalProfessionals: 'prof-aantal', onderwerpen: 'prof-onderwerp', duurMinuten: 'prof-duur'};
  function samenvattingProfessioneel(body) {
    return datumTekst(body.datum) + ' · ' + label('professioneelSoorten', body.soort) + ' · ' +
      (body.aantalProfessionals === 1 ? _('1 professional') : _('{n} professionals', {n: body.aantalProfessionals}));
  }
  function opslaanProfessioneel(e) {
    e.preventDefault();
    wisFouten($('prof-form'));
    var externId = bewerktProf || uuid(), body = professioneelUitFormulier(externId);
    var fouten = controleerProfessioneel(body);
    if (fouten.length) { toonFouten(fouten, 'prof-', PROF_VELDEN, 'fout-prof'); return; }
    var item = {externId: externId, pad: PROFESSIONEEL, body: body, status: 'wacht', aangemaakt: new Date().toISOString(),
      samenvatting: samenvattingProfessioneel(body)};
    if (profiel) {  // the next form starts like this one, offline too (the server's profile says the same once sent)
      profiel.standaardProfessioneel = {soort: body.soort, aanvrager: body.aangevraagdDoor.soort,
        ketenpartnerId: body.aangevraagdDoor.ketenpartnerId || null};
      bewaard('profiel', profiel);
    }
    leegProfessioneel();
    melding('prof-opgeslagen', navigator.onLine ? _('Opgeslagen. Het contact wordt verstuurd.')
      : _('Bewaard op je telefoon. Het wordt verstuurd als er weer internet is.'));
    wachtrij.zet(item).then(function () { return toonWachtrij().then(verstuur); }).then(function () {
      return wachtrij.alle().then(function (items) {
        var nog = items.filter(function (i) { return i.externId === externId; })[0];
        if (!nog) melding('prof-opgeslagen', _('Opgeslagen en verstuurd.'));
        else if (nog.status === 'wacht') recent(nog, 'wacht');
        else { melding('prof-opgeslagen', _('Niet opgeslagen. Kijk wat er mis is.')); bewerkProfessioneel(nog); }
      });
    });
  }
  function bewerkProfessioneel(item) {
    leegProfessioneel();
    var b = item.body;
    bewerktProf = item.externId;
    $('prof-datum').value = b.datum; $('prof-aantal').value = b.aantalProfessionals || ''; $('prof-duur').value = b.duurMinuten || '';
    document.querySelectorAll('input[name=profSoort]').forEach(function (i) { i.checked = i.value === b.soort; });
    document.querySelectorAll('input[name=profAanvrager]').forEach(function (i) { i.checked = i.value === b.aangevraagdDoor.soort; });
    if (b.aangevraagdDoor.ketenpartnerId) $('prof-partner').value = b.aangevraagdDoor.ketenpartnerId;
    $('prof-onderwerp').value = (b.onderwerpen || [])[0] || '';
    toonPartnerKeuze();
    toonFouten(item.fouten || [], 'prof-', PROF_VELDEN, 'fout-prof', item.reden);
  }

  // --- follow up -----------------------------------------------------------------------------
  function melding(id, tekst) { var p = $(id); p.hidden = !tekst; p.textContent = tekst || ''; }
  function geenVerbinding(id) { melding(id, _('Geen internet. Probeer het straks opnieuw.')); }
  function laadOpvolgen() {
    api('/app/api/opvolgen').then(function (r) {
      if (!r.ok) return;
      var open = $('open-verwijzingen'); open.textContent = '';
      r.data.verwijzingen.forEach(function (v) {
        var knoppen = v.volgende.map(function (s) {
          return el('button', {type: 'button', 'class': 'knop knop-licht', onclick: function () { zetStatus(v, s); }, tekst: s.label});
        });
        open.appendChild(el('li', {'class': 'kaart' + (v.langOpen ? ' lang-open' : '')}, [
          el('p', {}, [el('strong', {tekst: v.ketenpartner}), v.onderwerp ? ' · ' + v.onderwerp : '']),
          el('p', {}, [_('Verwezen op {datum}', {datum: datumTekst(v.datum)}), ' · ', _('{n} dagen open', {n: v.dagenOpen}),
            v.langOpen ? el('span', {'class': 'label-waarschuwing', tekst: _('Meer dan 30 dagen open')}) : null]),
          el('p', {tekst: _('Status nu: {status}', {status: v.statusLabel})}),
          el('div', {'class': 'keuzes', role: 'group', 'aria-label': _('Nieuwe status voor {naam}', {naam: v.ketenpartner})}, knoppen)
        ]));
      });
      if (!r.data.verwijzingen.length) open.appendChild(el('li', {tekst: _('Geen open doorverwijzingen.')}));
      var eerder = $('eerdere-contacten'); eerder.textContent = '';
      r.data.contacten.forEach(function (c) { eerder.appendChild(contactKaart(c)); });
      if (!r.data.contacten.length) eerder.appendChild(el('li', {tekst: _('Nog geen contacten.')}));
    }, function () { geenVerbinding('opvolgen-melding'); });
  }
  function zetStatus(v, s) {
    api('/v1/doorverwijzingen/' + v.id, 'PATCH', {status: s.code}).then(function (r) {
      melding('opvolgen-melding', r.ok ? _('{naam}: status is nu {status}.', {naam: v.ketenpartner, status: s.label})
        : ((r.data && r.data.detail) || _('Dat lukte niet.')));
      laadOpvolgen();
    }, function () { geenVerbinding('opvolgen-melding'); });
  }
  function contactKaart(c) {
    var vak = el('div', {'class': 'invoegen'});
    function uitkomstForm() {
      vak.textContent = '';
      var id = 'res-' + c.id;
      var select = el('select', {id: id}, (codes.resultaten || []).map(function (r) { return el('option', {value: r.code, tekst: r.label}); }));
      vak.appendChild(el('div', {'class': 'veld'}, [el('label', {'for': id, tekst: _('Uitkomst')}), select]));
      vak.appendChild(el('button', {type: 'button', 'class': 'knop', tekst: _('Uitkomst opslaan'), onclick: function () {
        api('/v1/uitkomsten', 'POST', {contactmomentId: c.id, resultaat: select.value}).then(function (r) {
          melding('opvolgen-melding', r.ok ? _('Uitkomst opgeslagen.') : ((r.data && r.data.detail) || _('Dat lukte niet.')));
          if (r.ok) laadOpvolgen();
        }, function () { geenVerbinding('opvolgen-melding'); });
      }}));
      select.focus();
    }
    function verwijzingForm() {
      vak.textContent = '';
      var pid = 'kp-' + c.id, wid = 'kw-' + c.id, sleutel = uuid();  // one externId per form: a retry is no duplicate
      var select = el('select', {id: pid}, (codes.ketenpartners || []).map(function (p) { return el('option', {value: p.id, tekst: p.naam}); }));
      var wijze = el('select', {id: wid}, (codes.wijzen || []).map(function (w) { return el('option', {value: w.code, tekst: w.label}); }));
      vak.appendChild(el('div', {'class': 'veld'}, [el('label', {'for': pid, tekst: _('Organisatie')}), select]));
      vak.appendChild(el('div', {'class': 'veld'}, [el('label', {'for': wid, tekst: _('Hoe verwezen')}), wijze]));
      vak.appendChild(el('button', {type: 'button', 'class': 'knop', tekst: _('Doorverwijzing opslaan'), onclick: function () {
        api('/v1/contactmomenten/' + c.id + '/doorverwijzingen', 'POST', {externId: sleutel, ketenpartnerId: select.value, wijze: wijze.value}).then(function (r) {
          melding('opvolgen-melding', r.ok ? _('Doorverwijzing opgeslagen.') : ((r.data && r.data.detail) || _('Dat lukte niet.')));
          if (r.ok) laadOpvolgen();
        }, function () { geenVerbinding('opvolgen-melding'); });
      }}));
      select.focus();
    }
    return el('li', {'class': 'kaart'}, [
      el('p', {}, [el('strong', {tekst: datumTekst(c.datum)}), ' · ', c.onderwerpen.join(', ')]),
      el('p', {tekst: c.uitkomst ? _('Uitkomst: {uitkomst}', {uitkomst: c.uitkomst}) : _('Nog geen uitkomst')}),
      el('div', {'class': 'keuzes'}, [
        el('button', {type: 'button', 'class': 'knop knop-licht', onclick: uitkomstForm, tekst: _('Uitkomst toevoegen')}),
        el('button', {type: 'button', 'class': 'knop knop-licht', onclick: verwijzingForm, tekst: _('Doorverwijzing toevoegen')})]),
      vak
    ]);
  }

  // --- my month ------------------------------------------------------------------------------
  function laadMaand() {
    var maand = $('maandkeuze').value;
    api('/app/api/maand' + (maand ? '?maand=' + encodeURIComponent(maand) : '')).then(function (r) {
      var vak = $('maand-inhoud'); vak.textContent = '';
      if (!r.ok) { vak.appendChild(el('p', {tekst: (r.data && r.data.detail) || _('Dat lukte niet.')})); return; }
      var d = r.data;
      if (!maand) $('maandkeuze').value = d.maand;
      function tabel(titel, kop, rijen) {
        return el('table', {}, [el('caption', {tekst: titel}),
          el('thead', {}, [el('tr', {}, kop.map(function (k) { return el('th', {scope: 'col', tekst: k}); }))]),
          el('tbody', {}, rijen.map(function (rij) {
            return el('tr', {}, rij.map(function (w, i) { return el(i ? 'td' : 'th', i ? {'class': 'getal'} : {scope: 'row'}, [String(w)]); }));
          }))]);
      }
      vak.appendChild(tabel(_('Wat je deed'), ['', d.maandNaam, d.vorigeNaam], d.cijfers.map(function (c) { return [c.naam, c.waarde, c.vorige]; })));
      vak.appendChild(el('h2', {tekst: _('Onderwerpen')}));
      vak.appendChild(d.onderwerpen.length ? tabel(_('Hulpvragen per onderwerp'), [_('Onderwerp'), d.maandNaam, d.vorigeNaam],
        d.onderwerpen.map(function (o) { return [o.label, o.waarde, o.vorige]; })) : el('p', {tekst: _('Geen hulpvragen in deze maand.')}));
      vak.appendChild(el('h2', {tekst: _('Mijn doelen')}));
      if (!d.doelen.length) vak.appendChild(el('p', {tekst: _('Je coördinator heeft nog geen doelen voor jou ingesteld.')}));
      d.doelen.forEach(function (g) {
        vak.appendChild(el('div', {'class': 'kaart doel'}, [
          el('p', {}, [el('strong', {tekst: g.naam}), ' · ', g.periode]),
          el('p', {tekst: _('{waarde} van {doel}', {waarde: g.waarde, doel: g.doel})}),
          el('progress', {max: g.doel, value: Math.min(g.waarde, g.doel), 'aria-label': g.naam}),
          el('p', {'class': g.opSchema ? 'op-schema' : 'achter', tekst: g.opSchema
            ? _('Op schema: verwacht rond deze tijd {verwacht}.', {verwacht: g.verwacht})
            : _('Achter op schema: verwacht rond deze tijd {verwacht}.', {verwacht: g.verwacht})})
        ]));
      });
      vak.appendChild(el('h2', {tekst: _('Afspraken met je coördinator')}));
      if (!d.afspraken.length) vak.appendChild(el('p', {tekst: _('Nog geen afspraken vastgelegd.')}));
      d.afspraken.forEach(function (a) {
        vak.appendChild(el('div', {'class': 'kaart afspraak'}, [
          el('p', {}, [el('strong', {tekst: a.maand === d.maand ? d.maandNaam : d.vorigeNaam})]),
          el('p', {tekst: a.tekst})
        ]));
      });
      vak.appendChild(el('h2', {tekst: _('Mijn signalen')}));
      if (!d.signalen.length) vak.appendChild(el('p', {tekst: _('Nog geen signalen doorgegeven.')}));
      d.signalen.forEach(function (s) {
        vak.appendChild(el('div', {'class': 'kaart'}, [
          el('p', {}, [el('strong', {tekst: s.titel}), ' · ', datumTekst(s.datum), ' · ', s.status]),
          el('p', {tekst: s.terugkoppeling ? _('Terugkoppeling: {tekst}', {tekst: s.terugkoppeling}) : _('Nog geen terugkoppeling.')})
        ]));
      });
    }, function () { $('maand-inhoud').textContent = _('Geen internet. Probeer het straks opnieuw.'); });
  }

  // --- hours, signals, stories -------------------------------------------------------------------
  function laadUren() {
    $('uren-datum').value = $('uren-datum').value || vandaag();
    var begin = vandaag().slice(0, 8) + '01';
    api('/v1/inzet?sleutelpersoonId=' + profiel.sleutelpersoonId + '&datumVanaf=' + begin + '&pageSize=100').then(function (r) {
      var lijst = $('uren-lijst'); lijst.textContent = '';
      if (!r.ok) { lijst.appendChild(el('li', {tekst: r.status === 404 ? _('Uren registreren kan hier nog niet.') : _('Dat lukte niet.')})); return; }
      (r.data || []).forEach(function (u) { lijst.appendChild(el('li', {'class': 'kaart', tekst: datumTekst(u.datum) + ' · ' + _('{n} uur', {n: u.uren}) + ' · ' + label('inzetSoorten', u.soort)})); });
      if (!(r.data || []).length) lijst.appendChild(el('li', {tekst: _('Nog geen uren deze maand.')}));
    }, function () { geenVerbinding('uren-melding'); });
  }
  // One externId per filled-in form (a new one after success), so tapping again after a lost answer stores nothing twice.
  var formSleutels = {};
  function formSleutel(form) { return formSleutels[form.id] || (formSleutels[form.id] = uuid()); }
  function verstuurFormulier(form, pad, body, voorvoegsel, velden, klaar) {
    wisFouten(form);
    api(pad, 'POST', body).then(function (r) {
      if (r.ok) { delete formSleutels[form.id]; form.reset(); klaar(r.data); return; }
      toonFouten((r.data && r.data.invalidParams) || [], voorvoegsel, velden, 'fout-' + voorvoegsel.replace(/-$/, ''),
        (r.data && r.data.detail) || _('Dat lukte niet.'));
    }, function () { var f = form.querySelector('.foutmelding'); f.hidden = false; f.textContent = _('Geen internet. Probeer het straks opnieuw.'); });
  }
  function gemeenteVan() { return (profiel && profiel.standaard && profiel.standaard.gemeentecode) || ((codes.gemeenten || [])[0] || {}).code; }

  // --- navigation and start ----------------------------------------------------------------
  var SCHERMEN = ['registreren', 'professionals', 'opvolgen', 'maand', 'uren', 'signaal', 'verhaal'];
  function toon(naam, focus) {
    if (!profiel) return;
    if (SCHERMEN.indexOf(naam) < 0) naam = 'registreren';
    SCHERMEN.forEach(function (s) { $('scherm-' + s).hidden = s !== naam; });
    var tab = naam === 'professionals' ? 'registreren' : naam;  // contacts with professionals are registered too
    document.querySelectorAll('[data-naar]').forEach(function (a) {
      if (a.dataset.naar === tab) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
    if (naam === 'opvolgen') laadOpvolgen();
    if (naam === 'maand') laadMaand();
    if (naam === 'uren') laadUren();
    if (focus) { var h = $('h-' + naam); h.setAttribute('tabindex', '-1'); h.focus(); }
  }
  function start() {
    $('contact').addEventListener('submit', opslaan);
    $('prof-form').addEventListener('submit', opslaanProfessioneel);
    document.querySelectorAll('input[name=profAanvrager]').forEach(function (i) { i.addEventListener('change', toonPartnerKeuze); });
    $('annuleer-wijziging').addEventListener('click', function () { leegFormulier(); });
    $('zoek-onderwerp').addEventListener('input', toonOnderwerpen);
    $('zoek-partner').addEventListener('input', toonPartners);
    document.querySelectorAll('input[name=soort]').forEach(function (i) {
      i.addEventListener('change', function () {
        var groep = waarde('soort') === 'groep';
        $('veld-aantal').hidden = !groep;
        $('veld-referentie').hidden = groep;  // a group has no resident reference
      });
    });
    $('verstuur-nu').addEventListener('click', verstuur);
    $('afmelden').addEventListener('click', function () {
      var knop = this;
      if (knop.dataset.zeker !== '1') { knop.dataset.zeker = '1'; knop.textContent = _('Zeker afmelden?'); return; }
      api('/app/afmelden', 'POST').then(function (r) { if (r.ok) afgemeld(); }, function () { geenVerbinding('maand-melding'); });
    });
    $('maandkeuze').addEventListener('change', laadMaand);
    // A button per language (not a select that reloads on change: WCAG 3.2.2).
    document.querySelectorAll('[data-taal]').forEach(function (knop) { knop.addEventListener('click', function () {
      if (knop.getAttribute('aria-pressed') === 'true') return;
      document.cookie = 'sleutelmonitor_taal=' + knop.dataset.taal + '; path=/app; max-age=31536000; samesite=lax';
      // The service worker keeps the shell in the language it was fetched in: drop that copy first.
      var weg = window.caches ? caches.keys().then(function (namen) {
        return Promise.all(namen.map(function (n) { return caches.open(n).then(function (c) { return c.delete('/app'); }); }));
      }) : Promise.resolve();
      weg.catch(function () { return null; }).then(function () { location.reload(); });
    }); });
    $('uren-form').addEventListener('submit', function (e) {
      e.preventDefault();
      verstuurFormulier(this, '/v1/inzet', {externId: formSleutel(this), sleutelpersoonId: profiel.sleutelpersoonId, datum: $('uren-datum').value,
        uren: parseFloat($('uren-aantal').value) || null, soort: waarde('urenSoort')}, 'uren-',
      {datum: 'uren-datum', uren: 'uren-aantal', soort: 'uren-soorten'}, function () {
        melding('uren-melding', _('Uren opgeslagen.')); laadUren();
      });
    });
    $('signaal-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var soort = waarde('gerichtAan'), gemeente = gemeenteVan();
      verstuurFormulier(this, '/v1/signalen', {externId: formSleutel(this), sleutelpersoonId: profiel.sleutelpersoonId, datum: vandaag(), gemeentecode: gemeente,
        titel: $('signaal-titel').value.trim(), omschrijving: $('signaal-omschrijving').value.trim(),
        onderwerpen: [$('signaal-onderwerp').value], urgentie: waarde('urgentie'),
        hoeVaakGehoord: parseInt($('signaal-vaak').value, 10) || null, gerichtAan: {soort: soort, gemeentecode: gemeente}}, 'signaal-',
      {titel: 'signaal-titel', omschrijving: 'signaal-omschrijving', onderwerpen: 'signaal-onderwerp', hoeVaakGehoord: 'signaal-vaak'},
      function () { melding('signaal-melding', _('Dank je. Je signaal is verstuurd.')); });
    });
    $('verhaal-form').addEventListener('submit', function (e) {
      e.preventDefault();
      if (!$('verhaal-toestemming').checked) {
        wisFouten(this);
        toonFouten([{name: 'toestemming', reason: _('Vraag eerst toestemming. Zonder toestemming kun je het verhaal niet versturen.')}],
          'verhaal-', {toestemming: 'verhaal-toestemming'}, 'fout-verhaal');
        return;
      }
      verstuurFormulier(this, '/v1/ervaringsverhalen', {sleutelpersoonId: profiel.sleutelpersoonId, datum: vandaag(),
        gemeentecode: gemeenteVan(), bron: 'inwoner', titel: $('verhaal-titel').value.trim(), verhaal: $('verhaal-tekst').value.trim(),
        onderwerpen: [$('verhaal-onderwerp').value], effecten: alleWaarden('effect'),
        toestemming: {gegeven: true, datum: vandaag(), vorm: waarde('vorm')}}, 'verhaal-',
      {titel: 'verhaal-titel', verhaal: 'verhaal-tekst', onderwerpen: 'verhaal-onderwerp', effecten: 'verhaal-effecten', toestemming: 'verhaal-toestemming'},
      function () { melding('verhaal-melding', _('Dank je. Je verhaal is verstuurd.')); });
    });
    window.addEventListener('hashchange', function () { toon(location.hash.slice(1), true); });
    window.addEventListener('online', function () { $('opgeslagen').hidden = true; toonVerbinding(0); verstuur(); });
    window.addEventListener('offline', function () { toonWachtrij(); });
    setInterval(function () { if (navigator.onLine) verstuur(); }, 30000);
    if ('serviceWorker' in navigator) navigator.serviceWorker.register('/app/sw.js', {scope: '/app'}).catch(function () { /* no offline shell */ });

    // The last copy of the profile and code lists opens the form at once; the network refreshes them.
    var getoond = false;
    function toonApp() {
      getoond = true;
      $('wie').textContent = profiel.weergavenaam;
      vulKeuzes(); leegFormulier(); leegProfessioneel(); toonRecent();
      toon(location.hash.slice(1), false);
      document.body.dataset.klaar = '1';
    }
    if (profiel && codes) toonApp();
    laadBasis().then(function (aangemeld) {
      if (!aangemeld || !profiel || !codes) { afgemeld(); return; }
      if (!getoond) toonApp();
      else {
        $('wie').textContent = profiel.weergavenaam; toonOnderwerpen(); toonPartners();
        // Code lists kept from before this version of the app had no kinds of professional contact.
        if (!$('prof-soorten').children.length) vulProfessioneel();
        if (!bewerktProf && !$('prof-aantal').value) leegProfessioneel();  // untouched: the fresh profile's defaults
      }
      verstuur();
    });
  }
  start();
}());
