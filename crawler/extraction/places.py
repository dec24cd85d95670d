"""Indonesian place names that open datelines ('Semarang - …', 'Sleman - …').

A dateline in capitals ('JAKARTA -') is recognised by its shape; one in title case ('Jakarta -')
looks like any capitalised word before a dash ('Jokowi - Ma'ruf Amin unggul …'), so it is only
taken for a dateline when it names a known place: the provinces, their capitals, and the cities
and regencies whose names regional outlets put in datelines. Lower-cased for lookup.
"""

from __future__ import annotations

PLACES: frozenset[str] = frozenset(
    name.strip().lower()
    for name in """
    Aceh, Banda Aceh, Sabang, Lhokseumawe, Langsa, Meulaboh, Bireuen, Takengon, Sigli,
    Sumatera Utara, Sumut, Medan, Binjai, Pematangsiantar, Tebing Tinggi, Sibolga, Tanjungbalai,
    Padangsidimpuan, Gunungsitoli, Deli Serdang, Karo, Samosir, Toba, Labuhanbatu, Nias,
    Sumatera Barat, Sumbar, Padang, Bukittinggi, Payakumbuh, Solok, Sawahlunto, Pariaman,
    Padang Panjang, Pesisir Selatan, Agam, Tanah Datar, Mentawai,
    Riau, Pekanbaru, Dumai, Siak, Kampar, Bengkalis, Rokan Hilir, Indragiri Hilir, Pelalawan,
    Kepulauan Riau, Kepri, Batam, Tanjungpinang, Bintan, Karimun, Natuna, Anambas,
    Jambi, Sungai Penuh, Kerinci, Muaro Jambi, Bungo, Tebo, Sarolangun, Merangin,
    Sumatera Selatan, Sumsel, Palembang, Prabumulih, Lubuklinggau, Pagaralam, Lahat,
    Muara Enim, Ogan Ilir, Ogan Komering Ilir, Ogan Komering Ulu, Banyuasin, Musi Banyuasin,
    Bangka Belitung, Babel, Pangkalpinang, Bangka, Belitung, Sungailiat, Tanjung Pandan,
    Bengkulu, Rejang Lebong, Mukomuko, Kaur, Seluma,
    Lampung, Bandar Lampung, Metro, Lampung Selatan, Lampung Tengah, Lampung Timur, Pringsewu,
    Tanggamus, Way Kanan, Pesawaran,
    Banten, Serang, Cilegon, Tangerang, Tangerang Selatan, Tangsel, Pandeglang, Lebak,
    DKI Jakarta, Jakarta, Jakarta Pusat, Jakarta Utara, Jakarta Barat, Jakarta Selatan,
    Jakarta Timur, Kepulauan Seribu,
    Jawa Barat, Jabar, Bandung, Bandung Barat, Cimahi, Bogor, Depok, Bekasi, Karawang,
    Purwakarta, Subang, Sumedang, Garut, Tasikmalaya, Ciamis, Banjar, Pangandaran, Cianjur,
    Sukabumi, Cirebon, Kuningan, Majalengka, Indramayu, Cikarang, Cibinong, Soreang, Lembang,
    Jawa Tengah, Jateng, Semarang, Solo, Surakarta, Salatiga, Magelang, Pekalongan, Tegal,
    Brebes, Pemalang, Batang, Kendal, Demak, Kudus, Jepara, Pati, Rembang, Blora, Grobogan,
    Purwodadi, Sragen, Karanganyar, Sukoharjo, Wonogiri, Klaten, Boyolali, Temanggung,
    Wonosobo, Banjarnegara, Purbalingga, Banyumas, Purwokerto, Cilacap, Kebumen, Purworejo,
    Lasem, Ungaran, Kartasura,
    Yogyakarta, DI Yogyakarta, DIY, Jogja, Yogya, Sleman, Bantul, Kulon Progo, Gunungkidul,
    Wonosari, Wates,
    Jawa Timur, Jatim, Surabaya, Sidoarjo, Gresik, Lamongan, Tuban, Bojonegoro, Ngawi, Madiun,
    Magetan, Ponorogo, Pacitan, Trenggalek, Tulungagung, Blitar, Kediri, Nganjuk, Jombang,
    Mojokerto, Pasuruan, Probolinggo, Lumajang, Jember, Bondowoso, Situbondo, Banyuwangi,
    Malang, Batu, Madura, Bangkalan, Sampang, Pamekasan, Sumenep,
    Bali, Denpasar, Badung, Gianyar, Tabanan, Klungkung, Bangli, Karangasem, Buleleng,
    Singaraja, Jembrana, Negara, Kuta, Ubud, Nusa Dua,
    Nusa Tenggara Barat, NTB, Mataram, Lombok, Lombok Barat, Lombok Tengah, Lombok Timur,
    Lombok Utara, Sumbawa, Sumbawa Besar, Dompu, Bima,
    Nusa Tenggara Timur, NTT, Kupang, Ende, Maumere, Sikka, Flores, Labuan Bajo, Manggarai,
    Ruteng, Bajawa, Sumba, Waingapu, Atambua, Belu, Alor, Rote, Soe, Larantuka,
    Kalimantan Barat, Kalbar, Pontianak, Singkawang, Sambas, Ketapang, Sintang, Kapuas Hulu,
    Sanggau, Mempawah,
    Kalimantan Tengah, Kalteng, Palangka Raya, Palangkaraya, Sampit, Kotawaringin, Pangkalan Bun,
    Kuala Kapuas, Muara Teweh,
    Kalimantan Selatan, Kalsel, Banjarmasin, Banjarbaru, Martapura, Kotabaru, Tanah Bumbu,
    Barito Kuala, Tabalong, Hulu Sungai,
    Kalimantan Timur, Kaltim, Samarinda, Balikpapan, Bontang, Kutai Kartanegara, Tenggarong,
    Kutai Timur, Sangatta, Berau, Paser, Penajam, IKN, Nusantara,
    Kalimantan Utara, Kaltara, Tarakan, Tanjung Selor, Nunukan, Malinau, Bulungan,
    Sulawesi Utara, Sulut, Manado, Bitung, Tomohon, Kotamobagu, Minahasa, Bolaang Mongondow,
    Gorontalo, Limboto,
    Sulawesi Tengah, Sulteng, Palu, Poso, Luwuk, Banggai, Donggala, Sigi, Tolitoli, Morowali,
    Sulawesi Barat, Sulbar, Mamuju, Majene, Polewali Mandar,
    Sulawesi Selatan, Sulsel, Makassar, Gowa, Maros, Pangkep, Parepare, Palopo, Bone,
    Watampone, Bulukumba, Sinjai, Takalar, Jeneponto, Bantaeng, Selayar, Wajo, Soppeng,
    Sidrap, Pinrang, Enrekang, Tana Toraja, Toraja, Toraja Utara, Luwu, Luwu Timur,
    Sulawesi Tenggara, Sultra, Kendari, Baubau, Kolaka, Konawe, Muna, Buton, Wakatobi,
    Maluku, Ambon, Tual, Masohi, Seram, Buru, Maluku Tenggara, Saumlaki,
    Maluku Utara, Malut, Ternate, Tidore, Sofifi, Halmahera, Tobelo,
    Papua, Jayapura, Merauke, Timika, Mimika, Nabire, Biak, Wamena, Sentani, Keerom,
    Papua Barat, Manokwari, Sorong, Fakfak, Kaimana, Raja Ampat, Papua Tengah, Papua Pegunungan,
    Papua Selatan, Papua Barat Daya
    """.replace("\n", " ").split(",")
    if name.strip()
)
